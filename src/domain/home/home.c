/* home.c: the sections of "Việc của tôi" (home.h). Every count comes from the list function
 * of its capability with the same filter as the web list its link opens, so a count and its
 * list cannot disagree (scope, due-soon days, today's date all come from that function). */
#include "domain/home/home.h"
#include "domain/cases/case.h"
#include "domain/core/access.h"
#include "domain/core/notice.h"
#include "domain/onestop/dossier.h"
#include "domain/tasks/task.h"
#include <assert.h>
#include <string.h>

/* One count of a section: a key, a Vietnamese label and the web link that lists them. */
static void add_count(json_t *counts, const char *key, const char *label, int64_t n,
                      const char *link)
{
  json_array_append_new(counts, json_pack("{ss ss sI ss}", "key", key, "label", label, "count",
                                          (json_int_t)n, "link", link));
}

static json_t *section(const char *key, const char *title, const char *link, json_t **counts)
{
  *counts = json_array();
  return json_pack("{ss ss ss so}", "key", key, "title", title, "link", link, "counts", *counts);
}

/* Ends a section s whose counts were made with the result e: appended to sections when every
 * count was made, else dropped (freed). Returns e. */
static kc_err section_end(json_t *sections, json_t *s, kc_err e)
{
  if (e)
    json_decref(s);
  else
    json_array_append_new(sections, s);
  return e;
}

/* Whether the actor reads task and dossier lists at all, and over the whole city. */
static bool scoped_staff(const kc_actor *a, bool *citywide)
{
  *citywide = kc_role_citywide(a->role);
  if (a->role == KC_ROLE_PUBLIC)
    return false;
  return *citywide || (a->unit_id > 0 && a->unit_path);
}

static kc_err task_count(kc_ctx *ctx, bool mine, const char *status, int64_t *n)
{
  kc_task_filter f = {0};
  f.mine = mine;
  f.status = status;
  f.limit = 1;
  json_t *items = NULL;
  kc_err e = kc_task_list(ctx, &f, &items, n);
  json_decref(items);
  return e;
}

/* Tasks led by the actor's unit subtree (the tasks page's "Nhiệm vụ của đơn vị tôi" tab), or
 * every task for city-wide roles. */
static kc_err tasks_section(kc_ctx *ctx, json_t *sections)
{
  bool citywide;
  if (!scoped_staff(ctx->actor, &citywide))
    return KC_OK;
  static const struct {
    const char *key, *status, *label;
  } rows[] = {
      {"open", "open", "Đang thực hiện"},
      {"due_soon", "due_soon", "Sắp đến hạn"},
      {"overdue", "in_progress_overdue", "Quá hạn"},
  };
  const char *base = citywide ? "#/tasks?mine=0" : "#/tasks?mine=1";
  json_t *counts;
  json_t *s = section("tasks", citywide ? "Nhiệm vụ trong thành phố" : "Nhiệm vụ của đơn vị", base,
                      &counts);
  kc_err e = KC_OK;
  for (size_t i = 0; !e && i < sizeof rows / sizeof *rows; i++) {
    int64_t n = 0;
    e = task_count(ctx, !citywide, rows[i].status, &n);
    if (!e)
      add_count(counts, rows[i].key, rows[i].label, n,
                kc_arena_printf(ctx->arena, "%s&status=%s", base, rows[i].status));
  }
  return section_end(sections, s, e);
}

/* Dossiers received or held by the actor's unit subtree (the dossiers page's own scope), or
 * every dossier for city-wide roles. */
static kc_err dossiers_section(kc_ctx *ctx, json_t *sections)
{
  bool citywide;
  if (!scoped_staff(ctx->actor, &citywide))
    return KC_OK;
  static const struct {
    const char *key, *status, *label;
  } rows[] = {
      {"open", "open", "Đang giải quyết"},
      {"due_today", "due_today", "Đến hạn hôm nay"},
      {"overdue", "overdue", "Quá hạn"},
      {"apology_owed", "apology_owed", "Cần thư xin lỗi"},
  };
  json_t *counts;
  json_t *s =
      section("dossiers", citywide ? "Hồ sơ một cửa trong thành phố" : "Hồ sơ một cửa của đơn vị",
              "#/dossiers?status=open", &counts);
  kc_err e = KC_OK;
  for (size_t i = 0; !e && i < sizeof rows / sizeof *rows; i++) {
    kc_dossier_filter f = {0};
    f.status = rows[i].status;
    f.limit = 1;
    json_t *items = NULL;
    int64_t n = 0;
    e = kc_dossier_list(ctx, &f, &items, &n);
    json_decref(items);
    if (!e)
      add_count(counts, rows[i].key, rows[i].label, n,
                kc_arena_printf(ctx->arena, "#/dossiers?status=%s", rows[i].status));
  }
  return section_end(sections, s, e);
}

/* Open cases handled by the actor's unit subtree (the cases page's "Vụ việc đơn vị tôi xử
 * lý", mine=1: a case the unit received and transferred is the other unit's), or every case
 * for city-wide roles; of them, those due soon and those overdue. Only for the roles that read
 * cases (GET /cases). */
static kc_err cases_section(kc_ctx *ctx, json_t *sections)
{
  bool citywide;
  if (!scoped_staff(ctx->actor, &citywide) || !kc_actor_in(ctx->actor, KC_RS_CASE_READ))
    return KC_OK;
  static const struct {
    const char *key, *param, *label;
    bool open, due_soon;
    int overdue;
  } rows[] = {
      {"open", "open=1", "Đang xử lý", true, false, -1},
      {"due_soon", "due_soon=1", "Sắp đến hạn", false, true, -1},
      {"overdue", "overdue=1", "Quá hạn", false, false, 1},
  };
  const char *base = citywide ? "#/cases?mine=0" : "#/cases?mine=1";
  json_t *counts;
  json_t *s =
      section("cases", citywide ? "Hồ sơ vụ việc trong thành phố" : "Hồ sơ vụ việc của đơn vị",
              kc_arena_printf(ctx->arena, "%s&open=1", base), &counts);
  kc_err e = KC_OK;
  for (size_t i = 0; !e && i < sizeof rows / sizeof *rows; i++) {
    kc_case_filter f = {.mine = !citywide,
                        .open = rows[i].open,
                        .due_soon = rows[i].due_soon,
                        .overdue = rows[i].overdue,
                        .limit = 1};
    json_t *items = NULL;
    int64_t n = 0;
    e = kc_case_list(ctx, &f, &items, &n);
    json_decref(items);
    if (!e)
      add_count(counts, rows[i].key, rows[i].label, n,
                kc_arena_printf(ctx->arena, "%s&%s", base, rows[i].param));
  }
  return section_end(sections, s, e);
}

/* Unread reminders of the actor's inbox, with the newest few. */
static kc_err inbox_section(kc_ctx *ctx, json_t *sections)
{
  json_t *inbox = NULL;
  kc_err e = kc_notice_inbox(ctx, true, KC_HOME_INBOX_ITEMS, 0, &inbox);
  if (e)
    return e;
  json_t *counts;
  json_t *s = section("inbox", "Nhắc việc", "#/", &counts);
  json_t *unread = json_object_get(inbox, "unread");
  add_count(counts, "unread", "Chưa đọc", json_is_integer(unread) ? json_integer_value(unread) : 0,
            "#/");
  json_object_set(s, "items", json_object_get(inbox, "items"));
  json_decref(inbox);
  json_array_append_new(sections, s);
  return KC_OK;
}

/* The sections, in the order the home page shows them. Plans and reports add their builders
 * here. */
static kc_err (*const builders[])(kc_ctx *, json_t *) = {
    tasks_section,
    dossiers_section,
    cases_section,
    inbox_section,
};

kc_err kc_home(kc_ctx *ctx, json_t **out)
{
  const kc_actor *a = ctx->actor;
  if (!a)
    return kc_ctx_code(ctx, KC_EAUTH);
  bool citywide;
  bool staff = scoped_staff(a, &citywide);
  json_t *sections = json_array();
  for (size_t i = 0; i < sizeof builders / sizeof *builders; i++) {
    kc_err e = builders[i](ctx, sections);
    if (e) {
      json_decref(sections);
      return e;
    }
  }
  assert(json_array_size(sections) >= 1); /* the inbox is always there */
  *out = json_pack("{ss so so}", "scope",
                   !staff     ? "none"
                   : citywide ? "city"
                              : "unit",
                   "unit_id", a->unit_id > 0 ? json_integer(a->unit_id) : json_null(), "sections",
                   sections);
  return KC_OK;
}
