/* task.c: tasks — creation (single, per unit of a group, recurring), reading, lists with
 * derived timeliness, and scope. Progress, completion and extensions: task_flow.c;
 * statistics: task_stats.c. Shared helpers: task_priv.h. */
#include "domain/tasks/task.h"
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/lclock.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include "domain/tasks/recurrence.h"
#include "domain/tasks/task_priv.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The derived status, as SQL over the row and today's date (bound as ?). */
/* A group parent is never completed itself: its status follows its units' tasks. */
#define TASK_GROUP_STATUS_SQL                                                                      \
  "WHEN t.is_group = 1 AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND "        \
  "c.completed_on IS NULL AND c.cancelled_at IS NULL) THEN CASE WHEN EXISTS (SELECT 1 FROM "       \
  "tasks c WHERE c.parent_id = t.id AND c.completed_on > c.due_date) THEN 'done_late' ELSE "       \
  "'done_on_time' END "
#define TASK_STATUS_SQL                                                                            \
  "CASE WHEN t.cancelled_at IS NOT NULL THEN 'cancelled' " TASK_GROUP_STATUS_SQL                   \
  "WHEN t.completed_on IS NOT NULL THEN CASE WHEN t.due_date IS NULL OR t.completed_on <= "        \
  "t.due_date THEN 'done_on_time' ELSE 'done_late' END "                                           \
  "WHEN t.due_date IS NOT NULL AND t.due_date < ? THEN 'in_progress_overdue' "                     \
  "ELSE 'in_progress' END"

#define TASK_COLS                                                                                  \
  "t.id, t.directive_id, t.parent_id, t.owner_unit_id, t.lead_unit_id, lu.name, "                  \
  "t.assignee_official_id, t.title, t.content, t.due_date, t.recurrence, t.period, "               \
  "t.is_group, t.progress, t.completed_on, t.completion_evidence, t.cancelled_at, "                \
  "t.cancel_reason, t.section, t.version, t.created_at, t.updated_at, ou.name, "                   \
  "t.original_due_date, " TASK_STATUS_SQL ", t.lead_unit_path, t.owner_unit_path, "                \
  "CASE WHEN t.due_date IS NULL OR t.is_group = 1 THEN (SELECT COUNT(*) FROM tasks c WHERE "       \
  "c.parent_id = t.id) ELSE 0 END, CASE WHEN t.due_date IS NULL OR t.is_group = 1 THEN "           \
  "(SELECT COUNT(*) FROM tasks c WHERE c.parent_id = t.id AND c.completed_on IS NOT NULL) "        \
  "ELSE 0 END"
#define TASK_JOINS                                                                                 \
  " JOIN units lu ON lu.id = t.lead_unit_id JOIN units ou ON ou.id = t.owner_unit_id"
#define TASK_FROM " FROM tasks t" TASK_JOINS

enum {
  C_ID,
  C_DIR,
  C_PARENT,
  C_OWNER,
  C_LEAD,
  C_LEADNAME,
  C_ASSIGNEE,
  C_TITLE,
  C_CONTENT,
  C_DUE,
  C_REC,
  C_PERIOD,
  C_GROUP,
  C_PROGRESS,
  C_DONE,
  C_EVIDENCE,
  C_CANCELLED,
  C_CANCEL_REASON,
  C_SECTION,
  C_VERSION,
  C_CREATED,
  C_UPDATED,
  C_OWNERNAME,
  C_ORIG_DUE,
  C_STATUS,
  C_LEADPATH,
  C_OWNERPATH,
  C_NCHILD,
  C_NCHILD_DONE
};

/* Members from columns that may be NULL (keys are literals: see kc_jsonw_member_str). */
#define member_opt_s(w, key, s, c)                                                                 \
  kc_jsonw_member_str((w), key, kc_stmt_is_null((s), (c)) ? NULL : kc_stmt_text((s), (c)))

static void opt_i(kc_jsonw *w, kc_stmt *s, int c)
{
  if (kc_stmt_is_null(s, c))
    kc_jsonw_null(w);
  else
    kc_jsonw_int(w, kc_stmt_i64(s, c));
}
#define member_opt_i(w, key, s, c)                                                                 \
  do {                                                                                             \
    kc_jsonw_key_lit((w), key);                                                                    \
    opt_i((w), (s), (c));                                                                          \
  } while (0)

/* The task record (docs/api.md) of the current row of a TASK_COLS statement. This is the
 * one definition of the record: lists write it straight to their answer, and single tasks
 * read it back into a json_t (kc_task__row_json). */
void kc_task__row_write(kc_jsonw *w, kc_stmt *s, const char *soon_until)
{
  char t[32];
  kc_jsonw_object_begin(w);
  kc_jsonw_member_int(w, "id", kc_stmt_i64(s, C_ID));
  member_opt_i(w, "directive_id", s, C_DIR);
  member_opt_i(w, "parent_id", s, C_PARENT);
  kc_jsonw_member_int(w, "lead_unit_id", kc_stmt_i64(s, C_LEAD));
  kc_jsonw_member_str(w, "lead_unit_name", kc_stmt_text(s, C_LEADNAME));
  kc_jsonw_member_int(w, "owner_unit_id", kc_stmt_i64(s, C_OWNER));
  kc_jsonw_member_str(w, "owner_unit_name", kc_stmt_text(s, C_OWNERNAME));
  member_opt_i(w, "assignee_official_id", s, C_ASSIGNEE);
  kc_jsonw_member_str(w, "title", kc_stmt_text(s, C_TITLE));
  member_opt_s(w, "content", s, C_CONTENT);
  member_opt_s(w, "due_date", s, C_DUE);
  member_opt_s(w, "recurrence", s, C_REC);
  member_opt_s(w, "period", s, C_PERIOD);
  kc_jsonw_member_bool(w, "is_group", kc_stmt_i64(s, C_GROUP) != 0);
  kc_jsonw_member_int(w, "progress", kc_stmt_i64(s, C_PROGRESS));
  member_opt_s(w, "completed_on", s, C_DONE);
  member_opt_s(w, "completion_evidence", s, C_EVIDENCE);
  const char *status = kc_stmt_text(s, C_STATUS);
  kc_jsonw_member_str(w, "status", status);
  /* in_progress: open and not overdue, so due from today on */
  kc_jsonw_member_bool(w, "due_soon",
                       !strcmp(status, "in_progress") && !kc_stmt_is_null(s, C_DUE) &&
                           strcmp(kc_stmt_text(s, C_DUE), soon_until) <= 0);
  kc_jsonw_member_int(w, "version", kc_stmt_i64(s, C_VERSION));
  kc_time_format_iso(kc_stmt_i64(s, C_CREATED), t, sizeof t);
  kc_jsonw_member_str(w, "created_at", t);
  kc_time_format_iso(kc_stmt_i64(s, C_UPDATED), t, sizeof t);
  kc_jsonw_member_str(w, "updated_at", t);
  if (!kc_stmt_is_null(s, C_CANCELLED)) {
    kc_time_format_iso(kc_stmt_i64(s, C_CANCELLED), t, sizeof t);
    kc_jsonw_member_str(w, "cancelled_at", t);
    member_opt_s(w, "cancel_reason", s, C_CANCEL_REASON);
  }
  member_opt_s(w, "section", s, C_SECTION);
  member_opt_s(w, "original_due_date", s, C_ORIG_DUE);
  int64_t n = kc_stmt_i64(s, C_NCHILD);
  if (n) {
    kc_jsonw_key(w, "children_summary");
    kc_jsonw_object_begin(w);
    kc_jsonw_member_int(w, "total", n);
    kc_jsonw_member_int(w, "done", kc_stmt_i64(s, C_NCHILD_DONE));
    kc_jsonw_object_end(w);
  }
  kc_jsonw_object_end(w);
}

/* Reads what a writer holds back as a json_t (NULL past the cap or on bad text, which the
 * writer does not produce). */
static json_t *writer_json(kc_jsonw *w)
{
  size_t len;
  const char *text = kc_jsonw_data(w, &len);
  json_t *j = text ? json_loadb(text, len, 0, NULL) : NULL;
  kc_jsonw_free(w);
  return j;
}

json_t *kc_task__row_json(kc_stmt *s, const char *soon_until)
{
  kc_jsonw w;
  kc_jsonw_init(&w, 2048, KC_TASK_JSON_MAX);
  kc_task__row_write(&w, s, soon_until);
  return writer_json(&w);
}

kc_err kc_task__soon_until(kc_ctx *ctx, const char **until)
{
  int n = ctx->cfg ? ctx->cfg->due_soon_days : KC_DUE_SOON_DAYS_DEFAULT;
  kc_workcal_cache *own = NULL, *cache = ctx->workcal;
  if (!cache)
    cache = own = kc_workcal_cache_new();
  kc_workcal *w;
  kc_err e = kc_workcal_acquire(ctx, cache, &w);
  if (!e) {
    /* the legal clocks' due-soon window: the last date with at most n working days left */
    kc_cal_day last = kc_lc_soon_until(kc_workcal_get(w), kc_cal_day_of_instant(ctx->now), n);
    kc_workcal_release(cache, w);
    *until = kc_cal_format_date(last, kc_arena_alloc(ctx->arena, KC_CAL_DATE_LEN + 1));
  }
  kc_workcal_cache_free(own);
  return e;
}

const char *kc_task__today(kc_ctx *ctx)
{
  char *d = kc_arena_alloc(ctx->arena, 11);
  kc_time_format_date(ctx->now, d, 11);
  return d;
}

kc_err kc_task__load(kc_ctx *ctx, int64_t id, kc_task_row *r)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  const char *soon;
  static const char q[] = "SELECT " TASK_COLS TASK_FROM " WHERE t.id = ?";
  e = kc_task__soon_until(ctx, &soon);
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(kc_task__today(ctx)), KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (e)
    return e;
  if (!row) {
    kc_stmt_reset(s);
    return KC_ENOTFOUND;
  }
  memset(r, 0, sizeof *r);
  r->id = id;
  r->json = kc_task__row_json(s, soon);
  r->version = kc_stmt_i64(s, C_VERSION);
  r->lead_unit_id = kc_stmt_i64(s, C_LEAD);
  r->owner_unit_id = kc_stmt_i64(s, C_OWNER);
  r->lead_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, C_LEADPATH));
  r->owner_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, C_OWNERPATH));
  r->due_date =
      kc_stmt_is_null(s, C_DUE) ? NULL : kc_arena_strdup(ctx->arena, kc_stmt_text(s, C_DUE));
  r->status = kc_arena_strdup(ctx->arena, kc_stmt_text(s, C_STATUS));
  r->is_group = kc_stmt_i64(s, C_GROUP) != 0;
  r->recurring = !kc_stmt_is_null(s, C_REC) && kc_stmt_is_null(s, C_DUE);
  kc_stmt_reset(s);
  return KC_OK;
}

/* Whether a support unit of the task lies in the actor's subtree. */
static kc_err supports_in_scope(kc_ctx *ctx, int64_t id, bool *yes)
{
  const char *lo, *hi;
  kc_path_range(ctx->arena, ctx->actor->unit_path, &lo, &hi);
  kc_stmt *s;
  kc_err e;
  static const char q[] = "SELECT 1 FROM task_support_units su JOIN units u ON u.id = su.unit_id "
                          "WHERE su.task_id = ? AND u.path >= ? AND u.path < ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id), KC_TXT(lo), KC_TXT(hi));
  if (e)
    return e;
  e = kc_stmt_step(s, yes);
  kc_stmt_reset(s);
  return e;
}

kc_err kc_task__visible(kc_ctx *ctx, const kc_task_row *r, bool *yes)
{
  const kc_actor *a = ctx->actor;
  *yes = true;
  if (!a || kc_role_citywide(a->role))
    return KC_OK;
  if (a->role == KC_ROLE_PUBLIC) {
    *yes = false;
    return KC_OK;
  }
  if (kc_scope_covers(a, r->lead_path) || kc_scope_covers(a, r->owner_path))
    return KC_OK;
  return supports_in_scope(ctx, r->id, yes);
}

kc_err kc_task__load_visible(kc_ctx *ctx, int64_t id, kc_task_row *r)
{
  kc_err e = kc_task__load(ctx, id, r);
  bool yes = false;
  if (!e && (e = kc_task__visible(ctx, r, &yes)) == KC_OK && !yes) {
    json_decref(r->json);
    r->json = NULL;
    e = KC_ENOTFOUND;
  }
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy nhiệm vụ");
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

bool kc_task__is_assigner(const kc_ctx *ctx, const kc_task_row *r)
{
  const kc_actor *a = ctx->actor;
  if (!a)
    return true;
  if (a->role == KC_ROLE_ADMIN || a->role == KC_ROLE_LEADER || a->role == KC_ROLE_SUPERVISOR)
    return true;
  return a->role == KC_ROLE_UNIT_HEAD && kc_scope_covers(a, r->owner_path);
}

bool kc_task__is_lead(const kc_ctx *ctx, const kc_task_row *r)
{
  const kc_actor *a = ctx->actor;
  if (!a || a->role == KC_ROLE_ADMIN)
    return true;
  return (a->role == KC_ROLE_UNIT_HEAD || a->role == KC_ROLE_OFFICER) &&
         kc_scope_covers(a, r->lead_path);
}

/* Adds "support_unit_ids" and "support_units" (id, name; in name order) to a task record. */
static kc_err attach_supports(kc_ctx *ctx, int64_t id, json_t *rec)
{
  json_t *sup = json_array(), *ids = json_array();
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT su.unit_id, u.name FROM task_support_units su JOIN units u ON "
                          "u.id = su.unit_id WHERE su.task_id = ? ORDER BY u.name_sort";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (!e) {
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
      json_array_append_new(ids, json_integer(kc_stmt_i64(s, 0)));
      json_array_append_new(sup, json_pack("{sI ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "name",
                                           kc_stmt_text(s, 1)));
    }
    kc_stmt_reset(s);
  }
  json_object_set_new(rec, "support_unit_ids", ids);
  json_object_set_new(rec, "support_units", sup);
  return e;
}

kc_err kc_task_get(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_task_row r;
  kc_err e = kc_task__load_visible(ctx, id, &r);
  if (e)
    return e;
  e = attach_supports(ctx, id, r.json);
  if (e) {
    json_decref(r.json);
    return kc_ctx_code(ctx, e);
  }
  *out = r.json;
  return KC_OK;
}

/* ---- lists ---- */

/* List queries are assembled from constant fragments, one per filter in use, so that each
 * combination is a plain conjunction the planner can serve from an index (the single
 * "(? = 0 OR col = ?)" text it replaces made every list a full scan): a declared list
 * (core/list.h), whose texts are built once per combination and kept by address. The
 * status filters come last: a fast predicate for ordinary tasks, and the derived status for
 * group parents (few rows); at most one is chosen. */
#define N_STATUS 8
enum {
  F_SCOPE,
  F_MINE,
  F_DIRECTIVE,
  F_LEAD,
  F_PARENT,
  F_TOP,
  F_OWNER,
  F_ASSIGNEE,
  F_DUE_FROM,
  F_DUE_TO,
  F_Q,
  F_STATUS,
  F_NFLAGS = F_STATUS + N_STATUS
};
static const kc_list_filter frag[F_NFLAGS] = {
    [F_SCOPE] =
        KC_LF(" AND ((t.lead_unit_path >= ? AND t.lead_unit_path < ?) OR (t.owner_unit_path "
              ">= ? AND t.owner_unit_path < ?) OR EXISTS (SELECT 1 FROM task_support_units su "
              "JOIN units su_u ON su_u.id = su.unit_id WHERE su.task_id = t.id AND su_u.path "
              ">= ? AND su_u.path < ?))"),
    [F_MINE] = KC_LF(" AND t.lead_unit_path >= ? AND t.lead_unit_path < ?"),
    [F_DIRECTIVE] = KC_LF_ID(kc_task_filter, directive_id, " AND t.directive_id = ?"),
    [F_LEAD] = KC_LF_ID(kc_task_filter, lead_unit_id, " AND t.lead_unit_id = ?"),
    [F_PARENT] = KC_LF_ID(kc_task_filter, parent_id, " AND t.parent_id = ?"),
    [F_TOP] = KC_LF_FLAG(kc_task_filter, top_level, " AND t.parent_id IS NULL"),
    [F_OWNER] = KC_LF_ID(kc_task_filter, owner_unit_id, " AND t.owner_unit_id = ?"),
    [F_ASSIGNEE] =
        KC_LF_ID(kc_task_filter, assignee_official_id, " AND t.assignee_official_id = ?"),
    [F_DUE_FROM] = KC_LF_TEXT(kc_task_filter, due_from, " AND t.due_date >= ?"),
    [F_DUE_TO] = KC_LF_TEXT(kc_task_filter, due_to, " AND t.due_date <= ?"),
    [F_Q] = KC_LF(" AND t.title_fold LIKE ?"),
    /* in_progress */
    [F_STATUS + 0] =
        KC_LF(" AND ((t.is_group = 0 AND t.completed_on IS NULL AND t.cancelled_at IS NULL "
              "AND (t.due_date IS NULL OR t.due_date >= ?)) OR (t.is_group = 1 AND " TASK_STATUS_SQL
              " = 'in_progress'))"),
    /* in_progress_overdue */
    [F_STATUS + 1] = KC_LF(
        " AND ((t.is_group = 0 AND t.completed_on IS NULL AND t.cancelled_at IS NULL "
        "AND t.due_date < ?) OR (t.is_group = 1 AND " TASK_STATUS_SQL " = 'in_progress_overdue'))"),
    /* done_on_time */
    [F_STATUS + 2] =
        KC_LF(" AND ((t.is_group = 0 AND t.cancelled_at IS NULL AND t.completed_on IS NOT "
              "NULL AND (t.due_date IS NULL OR t.completed_on <= t.due_date)) OR "
              "(t.is_group = 1 AND ? <> '' AND " TASK_STATUS_SQL " = 'done_on_time'))"),
    /* done_late */
    [F_STATUS + 3] =
        KC_LF(" AND ((t.is_group = 0 AND t.cancelled_at IS NULL AND t.completed_on > "
              "t.due_date) OR (t.is_group = 1 AND ? <> '' AND " TASK_STATUS_SQL " = 'done_late'))"),
    [F_STATUS + 4] = KC_LF(" AND t.cancelled_at IS NOT NULL"),
    [F_STATUS + 5] = KC_LF(" AND t.completed_on IS NULL AND t.cancelled_at IS NULL"),
    [F_STATUS + 6] = KC_LF(" AND t.completed_on IS NOT NULL AND t.cancelled_at IS NULL"),
    /* due_soon: in_progress with a due date up to the due-soon limit (the due_soon flag) */
    [F_STATUS + 7] = KC_LF(
        " AND t.due_date >= ? AND t.due_date <= ? AND ((t.is_group = 0 AND "
        "t.completed_on IS NULL AND t.cancelled_at IS NULL) OR (t.is_group = 1 AND " TASK_STATUS_SQL
        " = 'in_progress'))"),
};
/* The status filters' names, and what each ? of their text receives, in order: t today,
 * s the last due date that is due soon (kc_task__soon_until). */
static const struct {
  const char *name, *binds;
} status_frag[N_STATUS] = {
    {"in_progress", "tt"},  {"in_progress_overdue", "tt"},
    {"done_on_time", "tt"}, {"done_late", "tt"},
    {"cancelled", ""},      {"open", ""},
    {"done", ""},           {"due_soon", "tst"},
};

/* The order of lists; page_row_cmp says the same in C. */
#define LIST_ORDER " ORDER BY t.due_date NULLS LAST, t.id"

/* The page picks its ids in an inner query that the indexes can answer alone (filter, order,
 * limit), so only the 50 rows shown are read from the table. The outer query has no ORDER
 * BY: sorting whole rows cost SQLite a third of the page; SQLite reads them in the inner
 * query's order (p is the outer loop of the CROSS JOIN), and kc_task_list_write puts them in
 * that order on any engine (page_row_cmp). The head's ? is today, for the status column. */
static kc_list task_list = {
    .count_from = " FROM tasks t WHERE 1 = 1",
    .page_head = "SELECT " TASK_COLS " FROM (SELECT t.id FROM tasks t WHERE 1 = 1",
    .filters = frag,
    .nfilters = F_NFLAGS,
    .order = LIST_ORDER,
    .page_tail = ") p CROSS JOIN tasks t" TASK_JOINS " WHERE t.id = p.id",
};

/* One task of a page: its sort key, and where its record lies among the page's records. */
typedef struct page_row {
  const char *due; /* NULL: no due date */
  int64_t id;
  size_t off, len;
} page_row;

/* LIST_ORDER: by due date (ISO text, the same order in every collation), undated last,
 * then by id. */
static int page_row_cmp(const void *pa, const void *pb)
{
  const page_row *a = pa, *b = pb;
  if (!a->due != !b->due)
    return a->due ? -1 : 1;
  int c = a->due ? strcmp(a->due, b->due) : 0;
  if (c)
    return c;
  return (a->id > b->id) - (a->id < b->id);
}

/* The page's records, written one after another into `rows` in the order the statement
 * gives them, with their sort keys. */
typedef struct page {
  kc_jsonw rows;
  page_row *pr;
  size_t npr, cappr;
  const char *soon;
} page;

static kc_err page_add(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  page *p = arg;
  if (p->npr == p->cappr) {
    p->cappr = p->cappr ? p->cappr * 2 : 64;
    page_row *grown = kc_arena_alloc(ctx->arena, p->cappr * sizeof *grown);
    if (p->npr)
      memcpy(grown, p->pr, p->npr * sizeof *p->pr);
    p->pr = grown;
  }
  page_row *x = &p->pr[p->npr++];
  x->due = kc_stmt_is_null(s, C_DUE) ? NULL : kc_arena_strdup(ctx->arena, kc_stmt_text(s, C_DUE));
  x->id = kc_stmt_i64(s, C_ID);
  x->off = kc_jsonw_len(&p->rows);
  kc_task__row_write(&p->rows, s, p->soon);
  x->len = kc_jsonw_len(&p->rows) - x->off;
  return KC_OK;
}

kc_err kc_task_list_write(kc_ctx *ctx, const kc_task_filter *f, kc_jsonw *w, int64_t *total)
{
  const kc_actor *a = ctx->actor;
  if (!kc_actor_in(a, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không xem được nhiệm vụ");
  int status = -1;
  if (f->status && *f->status) {
    for (int i = 0; i < N_STATUS; i++)
      if (!strcmp(f->status, status_frag[i].name))
        status = i;
    if (status < 0)
      return kc_ctx_fail(ctx, KC_EFIELD, "status",
                         "Trạng thái phải là in_progress, in_progress_overdue, done_on_time, "
                         "done_late, cancelled, open, done hoặc due_soon");
  }
  if ((f->due_from && !kc_date_valid(f->due_from)) || (f->due_to && !kc_date_valid(f->due_to)))
    return kc_ctx_fail(ctx, KC_EFIELD,
                       f->due_from && !kc_date_valid(f->due_from) ? "due_from" : "due_to",
                       "Ngày không hợp lệ (YYYY-MM-DD)");
  const char *today = kc_task__today(ctx), *soon;
  kc_err e = kc_task__soon_until(ctx, &soon);
  if (e)
    return kc_ctx_code(ctx, e);
  kc_list_query lq;
  kc_list_query_init(&lq, &task_list, f->limit, f->offset);
  kc_list_head(&lq, KC_TXT(today));
  if (a && !kc_role_citywide(a->role)) {
    const char *lo, *hi;
    kc_path_range(ctx->arena, a->unit_path, &lo, &hi);
    kc_list_where(&lq, F_SCOPE, KC_TXT(lo), KC_TXT(hi), KC_TXT(lo), KC_TXT(hi), KC_TXT(lo),
                  KC_TXT(hi));
  }
  if (f->mine && a) {
    const char *lo, *hi;
    kc_path_range(ctx->arena, a->unit_path, &lo, &hi);
    kc_list_where(&lq, F_MINE, KC_TXT(lo), KC_TXT(hi));
  }
  kc_list_from(&lq, f);
  const char *q = f->q ? kc_text_fold(ctx->arena, f->q) : "";
  if (*q)
    kc_list_where(&lq, F_Q, KC_TXT(kc_arena_printf(ctx->arena, "%%%s%%", q)));
  if (status >= 0) {
    kc_val v[3];
    size_t n = 0;
    for (const char *b = status_frag[status].binds; *b; b++)
      v[n++] = KC_TXT(*b == 's' ? soon : today);
    kc_list_where_array(&lq, F_STATUS + status, v, n);
  }
  page p = {.soon = soon};
  kc_jsonw_init(&p.rows, KC_TASK_JSON_RESERVE(f->limit), (size_t)f->limit * KC_TASK_JSON_MAX);
  e = kc_list_run(ctx, &lq, page_add, NULL, &p, total);
  size_t len;
  const char *text = kc_jsonw_data(&p.rows, &len);
  if (!e && !text)
    e = KC_EINTERNAL; /* past KC_TASK_JSON_MAX per row: not from data the API accepts */
  if (!e) {
    /* The records in LIST_ORDER: already so on SQLite, which reads them in the inner
     * query's order. */
    bool sorted = true;
    for (size_t i = 1; sorted && i < p.npr; i++)
      sorted = page_row_cmp(&p.pr[i - 1], &p.pr[i]) < 0;
    if (!sorted)
      qsort(p.pr, p.npr, sizeof *p.pr, page_row_cmp);
    kc_jsonw_array_begin(w);
    for (size_t i = 0; i < p.npr; i++)
      kc_jsonw_raw(w, text + p.pr[i].off, p.pr[i].len);
    kc_jsonw_array_end(w);
  }
  kc_jsonw_free(&p.rows);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

kc_err kc_task_list(kc_ctx *ctx, const kc_task_filter *f, json_t **items, int64_t *total)
{
  kc_jsonw w;
  kc_jsonw_init(&w, KC_TASK_JSON_RESERVE(f->limit), (size_t)f->limit * KC_TASK_JSON_MAX);
  *items = NULL;
  kc_err e = kc_task_list_write(ctx, f, &w, total);
  if (e) {
    kc_jsonw_free(&w);
    return e;
  }
  *items = writer_json(&w);
  return *items ? KC_OK : kc_ctx_code(ctx, KC_EINTERNAL);
}

/* ---- creation ---- */

static kc_err check_in(kc_ctx *ctx, kc_task_in *in)
{
  kc_err e = kc_text_field(ctx, "title", "Tên nhiệm vụ", &in->title, 1000, true);
  if (!e)
    e = kc_text_field(ctx, "content", "Nội dung", &in->content, 20000, false);
  if (!e)
    e = kc_text_field(ctx, "section", "Mục trong văn bản", &in->section, 32, false);
  if (!e)
    e = kc_text_field(ctx, "due_date", "Hạn hoàn thành", &in->due_date, 10, false);
  if (!e)
    e = kc_text_field(ctx, "recurrence", "Định kỳ", &in->recurrence, 32, false);
  if (e)
    return e;
  if (in->due_date && !*in->due_date)
    in->due_date = NULL;
  if (in->recurrence && !*in->recurrence)
    in->recurrence = NULL;
  if (!in->lead_unit_id == !in->group_id)
    return kc_ctx_fail(ctx, KC_EFIELD, in->group_id ? "group_id" : "lead_unit_id",
                       "Cần đúng một trong hai: đơn vị chủ trì (lead_unit_id) hoặc nhóm đơn vị "
                       "(group_id)");
  if (!in->due_date == !in->recurrence)
    return kc_ctx_fail(ctx, KC_EFIELD, in->due_date ? "recurrence" : "due_date",
                       "Nhiệm vụ cần đúng một trong hai: hạn hoàn thành (due_date) hoặc định kỳ "
                       "(recurrence)");
  if (in->due_date && !kc_date_valid(in->due_date))
    return kc_ctx_fail(ctx, KC_EFIELD, "due_date", "Hạn hoàn thành không hợp lệ (YYYY-MM-DD)");
  kc_recurrence rec;
  if (in->recurrence && !kc_recurrence_parse(in->recurrence, &rec))
    return kc_ctx_fail(ctx, KC_EFIELD, "recurrence",
                       "Định kỳ phải có dạng monthly:DD, quarterly:DD, yearly:MM-DD hoặc "
                       "weekly:MON…SUN");
  if (in->n_support > KC_TASK_MAX_SUPPORT)
    return kc_ctx_fail(ctx, KC_EFIELD, "support_unit_ids", "Tối đa %d đơn vị phối hợp",
                       KC_TASK_MAX_SUPPORT);
  return KC_OK;
}

/* The actor's right to assign to a lead unit: city-wide assigners anywhere, a unit head
 * within their subtree. */
static kc_err may_assign(kc_ctx *ctx, const char *lead_path)
{
  const kc_actor *a = ctx->actor;
  if (!a || a->role == KC_ROLE_ADMIN || a->role == KC_ROLE_LEADER || a->role == KC_ROLE_SUPERVISOR)
    return KC_OK;
  if (a->role == KC_ROLE_UNIT_HEAD && kc_scope_covers(a, lead_path))
    return KC_OK;
  return kc_ctx_fail(ctx, KC_EFORBIDDEN, "lead_unit_id",
                     "Bạn không có quyền giao nhiệm vụ cho đơn vị này");
}

typedef struct new_task {
  int64_t directive_id, parent_id, owner_id, lead_id, assignee;
  const char *owner_path, *lead_path, *title, *content, *due, *recurrence, *period, *section;
  bool is_group;
} new_task;

static kc_err insert_task(kc_ctx *ctx, const new_task *t, int64_t *id)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] =
      "INSERT INTO tasks (directive_id, parent_id, owner_unit_id, owner_unit_path, "
      "lead_unit_id, lead_unit_path, assignee_official_id, title, title_fold, content, "
      "due_date, original_due_date, recurrence, period, is_group, section, created_by, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  int p = 1;
  const int64_t opt_ids[2] = {t->directive_id, t->parent_id};
  for (int k = 0; k < 2; k++) {
    if (opt_ids[k])
      kc_stmt_bind_i64(s, p++, opt_ids[k]);
    else
      kc_stmt_bind_null(s, p++);
  }
  kc_stmt_bind_i64(s, p++, t->owner_id);
  kc_stmt_bind_text(s, p++, t->owner_path, -1);
  kc_stmt_bind_i64(s, p++, t->lead_id);
  kc_stmt_bind_text(s, p++, t->lead_path, -1);
  if (t->assignee)
    kc_stmt_bind_i64(s, p++, t->assignee);
  else
    kc_stmt_bind_null(s, p++);
  kc_stmt_bind_text(s, p++, t->title, -1);
  kc_stmt_bind_text(s, p++, kc_text_fold(ctx->arena, t->title), -1);
  kc_stmt_bind_opt_text(s, p++, t->content && *t->content ? t->content : NULL);
  kc_stmt_bind_opt_text(s, p++, t->due);
  kc_stmt_bind_opt_text(s, p++, t->due);
  kc_stmt_bind_opt_text(s, p++, t->recurrence);
  kc_stmt_bind_opt_text(s, p++, t->period);
  kc_stmt_bind_i64(s, p++, t->is_group);
  kc_stmt_bind_opt_text(s, p++, t->section && *t->section ? t->section : NULL);
  if (ctx->actor)
    kc_stmt_bind_i64(s, p++, ctx->actor->account_id);
  else
    kc_stmt_bind_null(s, p++);
  kc_stmt_bind_i64(s, p++, ctx->now);
  kc_stmt_bind_i64(s, p++, ctx->now);
  e = kc_stmt_step(s, &row);
  if (!e && row)
    *id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  if (e == KC_ECONFLICT) /* a foreign key: the directive, parent or assignee is gone */
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL,
                    "Văn bản, nhiệm vụ cha hoặc cán bộ được giao không tồn tại");
  return e;
}

static kc_err add_supports(kc_ctx *ctx, int64_t id, const int64_t *units, size_t n)
{
  kc_stmt *s;
  kc_err e = KC_OK;
  static const char q[] = "INSERT INTO task_support_units (task_id, unit_id) VALUES (?, ?) "
                          "ON CONFLICT DO NOTHING";
  for (size_t i = 0; !e && i < n; i++) {
    const char *path;
    e = kc_unit_path(ctx, units[i], &path);
    if (e == KC_ENOTFOUND)
      return kc_ctx_fail(ctx, KC_EFIELD, "support_unit_ids",
                         "Đơn vị phối hợp %" PRId64 " không tồn tại", units[i]);
    if (!e)
      e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id), KC_I64(units[i]));
    if (!e) {
      e = kc_stmt_run(s);
    }
  }
  return e;
}

static kc_err due_history(kc_ctx *ctx, int64_t id, const char *old_due, const char *new_due,
                          const char *reason)
{
  kc_stmt *s;
  kc_err e;
  static const char q[] = "INSERT INTO task_due_history (task_id, at, old_due_date, new_due_date, "
                          "reason, account_id) VALUES (?, ?, ?, ?, ?, ?)";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  kc_stmt_bind_i64(s, 1, id);
  kc_stmt_bind_i64(s, 2, ctx->now);
  kc_stmt_bind_opt_text(s, 3, old_due);
  kc_stmt_bind_opt_text(s, 4, new_due);
  kc_stmt_bind_text(s, 5, reason, -1);
  if (ctx->actor)
    kc_stmt_bind_i64(s, 6, ctx->actor->account_id);
  else
    kc_stmt_bind_null(s, 6);
  return kc_stmt_run(s);
}

kc_err kc_task__due_history(kc_ctx *ctx, int64_t id, const char *old_due, const char *new_due,
                            const char *reason)
{
  return due_history(ctx, id, old_due, new_due, reason);
}

/* Creates the dated instances of a recurring task from `from` for KC_TASK_INSTANCE_MONTHS
 * months; instances that exist already (same period) are skipped, so this can run again. */
static kc_err kc_task__instances(kc_ctx *ctx, int64_t template_id, const new_task *tpl,
                                 kc_cal_day from, int *created)
{
  kc_recurrence rec;
  if (!kc_recurrence_parse(tpl->recurrence, &rec))
    return KC_EINTERNAL;
  int y, m, d;
  kc_cal_to_ymd(from, &y, &m, &d);
  m += KC_TASK_INSTANCE_MONTHS;
  y += (m - 1) / 12;
  m = (m - 1) % 12 + 1;
  int dim = kc_cal_days_in_month(y, m);
  kc_cal_day to = kc_cal_from_ymd(y, m, d > dim ? dim : d);
  kc_rec_instance inst[400];
  size_t n = kc_recurrence_instances(&rec, from, to, inst, 400);
  if (n > 400)
    n = 400;
  *created = 0;
  kc_err e = KC_OK;
  for (size_t i = 0; !e && i < n; i++) {
    char due[16];
    kc_cal_format_date(inst[i].due, due);
    new_task t = *tpl;
    t.parent_id = template_id;
    t.due = kc_arena_strdup(ctx->arena, due);
    t.recurrence = NULL;
    t.period = inst[i].period;
    t.is_group = false;
    int64_t id;
    /* tasks_instance (parent_id, period) is unique: an existing instance is a conflict */
    kc_stmt *s;
    bool row;
    static const char q[] = "SELECT id FROM tasks WHERE parent_id = ? AND period = ?";
    e = kc_stmt_query(ctx->conn, q, &s, KC_I64(template_id), KC_TXT(t.period));
    if (e)
      break;
    e = kc_stmt_step(s, &row);
    kc_stmt_reset(s);
    if (e || row)
      continue;
    e = insert_task(ctx, &t, &id);
    if (!e) {
      e = due_history(ctx, id, NULL, t.due, "Tạo kỳ định kỳ");
      (*created)++;
    }
  }
  return e;
}

static kc_err group_members(kc_ctx *ctx, int64_t group_id, int64_t **ids, size_t *n)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT m.unit_id FROM unit_group_members m JOIN units u ON u.id = "
                          "m.unit_id WHERE m.group_id = ? ORDER BY u.name_sort";
  *n = 0;
  *ids = NULL;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(group_id));
  if (e)
    return e;
  size_t cap = 0;
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 32;
      int64_t *grown = kc_arena_alloc(ctx->arena, cap * sizeof *grown);
      if (*n)
        memcpy(grown, *ids, *n * sizeof *grown);
      *ids = grown;
    }
    (*ids)[(*n)++] = kc_stmt_i64(s, 0);
  }
  kc_stmt_reset(s);
  return e;
}

/* Creates one task (with instances when recurring) for lead unit `lead`. */
static kc_err create_one(kc_ctx *ctx, new_task *t, const kc_task_in *in, int64_t *id)
{
  kc_err e = insert_task(ctx, t, id);
  if (!e)
    e = add_supports(ctx, *id, in->support_unit_ids, in->n_support);
  if (!e && t->due)
    e = due_history(ctx, *id, NULL, t->due, "Giao nhiệm vụ");
  if (!e && t->recurrence) {
    int created;
    e = kc_task__instances(ctx, *id, t, kc_cal_day_of_instant(ctx->now), &created);
  }
  return e;
}

kc_err kc_task_create(kc_ctx *ctx, const kc_task_in *in0, json_t **out)
{
  kc_task_in in = *in0;
  kc_err e;
  if (!kc_actor_in(ctx->actor, KC_RS_ASSIGN))
    return kc_ctx_fail(
        ctx, KC_EFORBIDDEN, NULL,
        "Chỉ lãnh đạo, trưởng đơn vị, giám sát hoặc quản trị viên được giao nhiệm vụ");
  e = check_in(ctx, &in);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  new_task t = {.directive_id = in.directive_id,
                .parent_id = in.parent_id,
                .assignee = in.assignee_official_id,
                .title = in.title,
                .content = in.content,
                .due = in.due_date,
                .recurrence = in.recurrence,
                .section = in.section};
  /* The assigning unit is the actor's (the system assigns as the city). */
  if (ctx->actor) {
    t.owner_id = ctx->actor->unit_id;
    t.owner_path = ctx->actor->unit_path;
  } else {
    static const char qr[] =
        "SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1";
    kc_stmt *s;
    bool row = false;
    if (!(e = kc_stmt_prepare(ctx->conn, qr, &s)) && !(e = kc_stmt_step(s, &row)) && row) {
      t.owner_id = kc_stmt_i64(s, 0);
      t.owner_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
    }
    kc_stmt_reset(s);
    if (!e && !row)
      e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Chưa có đơn vị gốc");
    if (e)
      return kc_tx_end(ctx, e);
  }
  if (in.parent_id) {
    kc_task_row parent;
    e = kc_task__load_visible(ctx, in.parent_id, &parent);
    if (e)
      return kc_tx_end(ctx, kc_ctx_fail(ctx, KC_EFIELD, "parent_id", "Nhiệm vụ cha không tồn tại"));
    json_decref(parent.json);
  }
  int64_t id = 0;
  json_t *children = json_array();
  if (in.lead_unit_id) {
    e = kc_unit_path(ctx, in.lead_unit_id, &t.lead_path);
    if (e == KC_ENOTFOUND)
      e = kc_ctx_fail(ctx, KC_EFIELD, "lead_unit_id", "Đơn vị chủ trì không tồn tại");
    if (!e)
      e = may_assign(ctx, t.lead_path);
    t.lead_id = in.lead_unit_id;
    if (!e)
      e = create_one(ctx, &t, &in, &id);
  } else {
    /* A group: the parent is led by the assigning unit and carries the group's progress;
     * each member unit gets its own task under it. */
    int64_t *members;
    size_t n;
    e = group_members(ctx, in.group_id, &members, &n);
    if (!e && n == 0)
      e = kc_ctx_fail(ctx, KC_EFIELD, "group_id",
                      "Nhóm đơn vị không tồn tại hoặc không có đơn vị nào");
    new_task parent = t;
    parent.lead_id = t.owner_id;
    parent.lead_path = t.owner_path;
    parent.is_group = true;
    parent.recurrence = NULL; /* the per-unit tasks recur; the parent only groups them */
    if (!e)
      e = insert_task(ctx, &parent, &id);
    for (size_t i = 0; !e && i < n; i++) {
      new_task c = t;
      c.parent_id = id;
      c.lead_id = members[i];
      if (!(e = kc_unit_path(ctx, members[i], &c.lead_path)) &&
          !(e = may_assign(ctx, c.lead_path))) {
        int64_t cid;
        e = create_one(ctx, &c, &in, &cid);
        if (!e)
          json_array_append_new(children, json_integer(cid));
      }
    }
  }
  kc_task_row r = {0};
  if (!e)
    e = kc_task__load(ctx, id, &r);
  if (!e) {
    json_t *rec = json_deep_copy(r.json);
    json_object_set(rec, "children", children);
    e = kc_audit_write(ctx, "create", "task", id, NULL, rec);
    json_decref(rec);
  }
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(children);
    json_decref(r.json);
    return e;
  }
  json_decref(children);
  json_decref(r.json);
  return kc_task_get(ctx, id, out);
}

kc_err kc_task_update(kc_ctx *ctx, int64_t id, const kc_task_in *in0, json_t **out)
{
  kc_task_in in = *in0;
  kc_err e = kc_text_field(ctx, "title", "Tên nhiệm vụ", &in.title, 1000, in.title != NULL);
  if (!e)
    e = kc_text_field(ctx, "content", "Nội dung", &in.content, 20000, false);
  if (!e)
    e = kc_text_field(ctx, "due_date", "Hạn hoàn thành", &in.due_date, 10, in.due_date != NULL);
  if (e)
    return e;
  if (in.due_date && !kc_date_valid(in.due_date))
    return kc_ctx_fail(ctx, KC_EFIELD, "due_date", "Hạn hoàn thành không hợp lệ (YYYY-MM-DD)");
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  /* The row is read once, before the change; the record after it is read once more, since
   * its derived members (status, due_soon) come from SQL. */
  kc_task_row r = {0}, after = {0};
  e = kc_task__load_visible(ctx, id, &r);
  if (!e && !kc_task__is_assigner(ctx, &r))
    e = kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ đơn vị giao nhiệm vụ được sửa nhiệm vụ");
  if (!e && r.version != in.version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Nhiệm vụ đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                    "); vui lòng tải lại",
                    r.version, in.version);
  if (!e && in.due_date && !r.due_date)
    e = kc_ctx_fail(ctx, KC_EFIELD, "due_date",
                    "Nhiệm vụ định kỳ không có hạn riêng; hãy sửa từng kỳ");
  /* the audit record keeps the task's own members; the answer adds its support units */
  json_t *before = r.json ? json_deep_copy(r.json) : NULL;
  if (!e)
    e = attach_supports(ctx, id, r.json);
  if (!e && !kc_change_text(r.json, "title", in.title) &&
      !kc_change_text(r.json, "content", in.content) &&
      !kc_change_text(r.json, "due_date", in.due_date) &&
      !kc_change_int(r.json, "assignee_official_id", in.assignee_official_id, 0) &&
      !(in.support_unit_ids &&
        kc_change_ids(ctx->arena, json_object_get(r.json, "support_unit_ids"), in.support_unit_ids,
                      in.n_support))) {
    json_decref(before);
    *out = r.json; /* nothing changes: no new version, no audit record */
    return kc_tx_end(ctx, KC_OK);
  }
  json_decref(r.json);
  static const char q[] = "UPDATE tasks SET title = COALESCE(?, title), title_fold = "
                          "COALESCE(?, title_fold), content = COALESCE(?, content), due_date = "
                          "COALESCE(?, due_date), assignee_official_id = COALESCE(?, "
                          "assignee_official_id), version = version + 1, updated_at = ? "
                          "WHERE id = ? AND version = ?";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e) {
    kc_stmt_bind_opt_text(s, 1, in.title);
    kc_stmt_bind_opt_text(s, 2, in.title ? kc_text_fold(ctx->arena, in.title) : NULL);
    kc_stmt_bind_opt_text(s, 3, in.content);
    kc_stmt_bind_opt_text(s, 4, in.due_date);
    if (in.assignee_official_id)
      kc_stmt_bind_i64(s, 5, in.assignee_official_id);
    else
      kc_stmt_bind_null(s, 5);
    kc_stmt_bind_i64(s, 6, ctx->now);
    kc_stmt_bind_i64(s, 7, id);
    kc_stmt_bind_i64(s, 8, in.version);
    e = kc_stmt_run(s);
    if (e == KC_ECONFLICT)
      e = kc_ctx_fail(ctx, KC_EFIELD, "assignee_official_id", "Cán bộ được giao không tồn tại");
  }
  if (!e && in.due_date && strcmp(in.due_date, r.due_date))
    e = due_history(ctx, id, r.due_date, in.due_date, "Đơn vị giao nhiệm vụ điều chỉnh hạn");
  if (!e && in.support_unit_ids) {
    static const char qd[] = "DELETE FROM task_support_units WHERE task_id = ?";
    e = kc_stmt_query(ctx->conn, qd, &s, KC_I64(id));
    if (!e) {
      e = kc_stmt_run(s);
    }
    if (!e)
      e = add_supports(ctx, id, in.support_unit_ids, in.n_support);
  }
  if (!e)
    e = kc_task__load(ctx, id, &after);
  if (!e)
    e = kc_audit_write(ctx, "update", "task", id, before, after.json);
  if (!e)
    e = attach_supports(ctx, id, after.json);
  json_decref(before);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(after.json);
    return e;
  }
  *out = after.json;
  return KC_OK;
}

kc_err kc_task_extend_recurring(kc_ctx *ctx, int *created)
{
  *created = 0;
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  static const char q[] = "SELECT id, directive_id, owner_unit_id, owner_unit_path, lead_unit_id, "
                          "lead_unit_path, assignee_official_id, title, content, recurrence, "
                          "section FROM tasks WHERE recurrence IS NOT NULL AND due_date IS NULL "
                          "AND cancelled_at IS NULL AND completed_on IS NULL ORDER BY id";
  kc_stmt *s;
  bool row;
  typedef struct {
    int64_t id;
    new_task t;
  } tpl;
  tpl *list = NULL;
  size_t n = 0, cap = 0;
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e) {
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
      if (n == cap) {
        cap = cap ? cap * 2 : 32;
        list = kc_xrealloc(list, cap * sizeof *list);
      }
      tpl *x = &list[n++];
      memset(x, 0, sizeof *x);
      x->id = kc_stmt_i64(s, 0);
      x->t.directive_id = kc_stmt_is_null(s, 1) ? 0 : kc_stmt_i64(s, 1);
      x->t.owner_id = kc_stmt_i64(s, 2);
      x->t.owner_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 3));
      x->t.lead_id = kc_stmt_i64(s, 4);
      x->t.lead_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 5));
      x->t.assignee = kc_stmt_is_null(s, 6) ? 0 : kc_stmt_i64(s, 6);
      x->t.title = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 7));
      x->t.content = kc_stmt_is_null(s, 8) ? NULL : kc_arena_strdup(ctx->arena, kc_stmt_text(s, 8));
      x->t.recurrence = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 9));
      x->t.section =
          kc_stmt_is_null(s, 10) ? NULL : kc_arena_strdup(ctx->arena, kc_stmt_text(s, 10));
    }
    kc_stmt_reset(s);
  }
  kc_cal_day today = kc_cal_day_of_instant(ctx->now);
  for (size_t i = 0; !e && i < n; i++) {
    int c = 0;
    e = kc_task__instances(ctx, list[i].id, &list[i].t, today, &c);
    *created += c;
    if (!e && c) {
      json_t *rec = json_pack("{si}", "instances_created", c);
      e = kc_audit_write(ctx, "extend_recurring", "task", list[i].id, NULL, rec);
      json_decref(rec);
    }
  }
  free(list);
  return kc_tx_end(ctx, e);
}
