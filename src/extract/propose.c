/* propose.c: see propose.h. */
#include "extract/propose.h"
#include "base/clock.h"
#include "domain/org/unit.h"
#include "domain/tasks/task.h"
#include "extract/extract.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The unit registry from the database: every unit (names are public knowledge, whatever the
 * reader's own scope), parents named by code as the extractor expects. */
static kc_err load_registry(kc_ctx *ctx, kc_extract_registry **reg)
{
  const kc_actor *saved = ctx->actor;
  ctx->actor = NULL;
  json_t *items = NULL;
  int64_t total = 0;
  kc_unit_filter f = {.limit = 100000};
  kc_err e = kc_unit_list(ctx, &f, &items, &total);
  ctx->actor = saved;
  if (e)
    return e;
  size_t n = json_array_size(items);
  kc_extract_unit *units = kc_xcalloc(n ? n : 1, sizeof *units);
  for (size_t i = 0; i < n; i++) {
    json_t *u = json_array_get(items, i);
    units[i].id = json_integer_value(json_object_get(u, "id"));
    units[i].code = json_string_value(json_object_get(u, "code"));
    units[i].name = json_string_value(json_object_get(u, "name"));
    units[i].kind = json_string_value(json_object_get(u, "kind"));
    int64_t pid = json_integer_value(json_object_get(u, "parent_id"));
    units[i].parent = "";
    for (size_t j = 0; pid && j < n; j++)
      if (json_integer_value(json_object_get(json_array_get(items, j), "id")) == pid)
        units[i].parent = json_string_value(json_object_get(json_array_get(items, j), "code"));
  }
  *reg = kc_extract_registry_new(units, n); /* copies what it keeps */
  free(units);
  json_decref(items);
  return KC_OK;
}

static json_t *ref_json(const kc_extract_ref *r, json_t *groups)
{
  json_t *o = json_pack("{ss}", "name", r->name ? r->name : "");
  if (r->kind == KC_EXTRACT_REF_UNIT && r->unit) {
    json_object_set_new(o, "kind", json_string("unit"));
    json_object_set_new(o, "unit_id", json_integer(r->unit->id));
  } else if (r->kind == KC_EXTRACT_REF_GROUP && r->group) {
    json_t *gid = json_object_get(groups, r->group->id);
    json_object_set_new(o, "kind", json_string(gid ? "group" : "unresolved"));
    if (gid)
      json_object_set(o, "group_id", gid);
  } else {
    json_object_set_new(o, "kind", json_string("unresolved"));
  }
  return o;
}

/* "Số: 69/KH-UBND" (spaces and the bold markers of a converted document removed). */
static json_t *find_number(const char *t)
{
  const char *p = strstr(t, "Số:");
  if (!p)
    return json_null();
  p += strlen("Số:");
  char buf[64];
  size_t k = 0;
  /* "69 /KH-UBND" (a converted document's bold number) → "69/KH-UBND"; stop at the first
   * space after the part with the slash, so a place name on the same line is not glued on */
  bool slash = false;
  for (; *p && *p != '\n' && *p != ',' && k + 1 < sizeof buf; p++) {
    if (*p == ' ' && slash)
      break;
    if (*p == '/')
      slash = true;
    if (*p != '*' && *p != ' ')
      buf[k++] = *p;
  }
  buf[k] = 0;
  return k && strchr(buf, '/') ? json_string(buf) : json_null();
}

/* The summary line under the document type: "Về việc …". */
static json_t *find_title(const char *t)
{
  const char *p = strstr(t, "Về việc");
  if (!p)
    return json_null();
  const char *e = strchr(p, '\n');
  size_t n = e ? (size_t)(e - p) : strlen(p);
  char *s = kc_xmalloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (p[i] != '*')
      s[k++] = p[i];
  s[k] = 0;
  json_t *j = json_string(s);
  free(s);
  return j ? j : json_null();
}

/* A task's title from its sentence: at most about 300 bytes, cut at a space (so never inside
 * a UTF-8 character), with "…" when cut; the whole sentence goes to the content. */
static json_t *short_title(const char *sentence)
{
  size_t n = strlen(sentence);
  if (n <= 300)
    return json_string(sentence);
  size_t cut = 300;
  while (cut > 100 && sentence[cut] != ' ')
    cut--;
  while (cut > 0 && ((unsigned char)sentence[cut] & 0xC0) == 0x80)
    cut--; /* no space found: at least never cut inside a character */
  char buf[320];
  memcpy(buf, sentence, cut);
  memcpy(buf + cut, "…", sizeof "…");
  return json_string(buf);
}

kc_err kc_extract_propose(kc_ctx *ctx, const char *text, size_t len, json_t **out)
{
  const kc_actor *a = ctx->actor;
  if (a && !kc_role_citywide(a->role) && a->role != KC_ROLE_UNIT_HEAD)
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Chỉ lãnh đạo, trưởng đơn vị, giám sát hoặc quản trị viên được đọc văn bản "
                       "để giao nhiệm vụ");
  kc_extract_registry *reg = NULL;
  kc_err e = load_registry(ctx, &reg);
  if (e)
    return kc_ctx_code(ctx, e);
  /* the standard groups by their codes ("departments", "districts", …) */
  json_t *glist = NULL, *groups = json_object();
  int64_t gtotal = 0;
  if (!kc_unit_group_list(ctx, &glist, &gtotal)) {
    size_t i;
    json_t *g;
    json_array_foreach(glist, i, g) json_object_set(
        groups, json_string_value(json_object_get(g, "code")), json_object_get(g, "id"));
  }
  json_decref(glist);
  char today[11];
  kc_time_format_date(ctx->now, today, sizeof today);
  kc_extract_options opt = {.default_year = atoi(today)};
  kc_extract_result *res = NULL;
  e = kc_extract_run(text, len, reg, &opt, &res);
  if (e) {
    json_decref(groups);
    kc_extract_registry_free(reg);
    return kc_ctx_fail(ctx, KC_EFIELD, "text",
                       "Văn bản phải là UTF-8 và không chứa ký tự điều khiển");
  }
  json_t *tasks = json_array();
  for (size_t i = 0; i < res->count; i++) {
    const kc_extract_task *t = &res->tasks[i];
    json_t *sup = json_array();
    for (size_t k = 0; k < t->nsupport; k++)
      json_array_append_new(sup, ref_json(&t->support[k], groups));
    char due[11] = "";
    if (t->has_due)
      kc_cal_format_date(t->due, due);
    json_t *o =
        json_pack("{so so so so ss ss sI sI sf}", "lead", ref_json(&t->lead, groups), "support",
                  sup, "due_date", t->has_due ? json_string(due) : json_null(), "recurrence",
                  *t->recurrence ? json_string(t->recurrence) : json_null(), "section", t->section,
                  "content", t->text ? t->text : "", "start", (json_int_t)t->start, "end",
                  (json_int_t)t->end, "confidence", t->confidence);
    json_object_set_new(o, "title", short_title(t->text ? t->text : ""));
    json_object_set_new(
        o, "evidence",
        json_pack("{ss so so}", "lead", t->lead.evidence ? t->lead.evidence : "", "due_date",
                  t->due_evidence ? json_string(t->due_evidence) : json_null(), "recurrence",
                  t->recurrence_evidence ? json_string(t->recurrence_evidence) : json_null()));
    json_array_append_new(tasks, o);
  }
  char issued[11] = "";
  if (res->has_issued)
    kc_cal_format_date(res->issued, issued);
  *out = json_pack("{ss# so so so so}", "text", res->text, (int)res->len, "issued_on",
                   res->has_issued ? json_string(issued) : json_null(), "number",
                   find_number(res->text), "title", find_title(res->text), "tasks", tasks);
  kc_extract_result_free(res);
  kc_extract_registry_free(reg);
  json_decref(groups);
  return KC_OK;
}
