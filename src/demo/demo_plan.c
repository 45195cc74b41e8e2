/* demo_plan.c: see demo_plan.h. */
#include "demo/demo_plan.h"
#include "base/clock.h"
#include "demo/demo.h"
#include "domain/org/unit.h"
#include "domain/tasks/directive.h"
#include "domain/tasks/task.h"
#include "extract/propose.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_ASSIGNED "2017-03-21T09:00:00+07:00"
#define PLAN_DEFAULT_DUE "2017-12-31"

static char *read_all(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n + 4096 > cap)
      buf = kc_xrealloc(buf, cap = (n + 4096) * 2);
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
  } while (got > 0);
  fclose(f);
  buf[n] = 0;
  *len = n;
  return buf;
}

static bool dated_recurrence(const char *r)
{
  return r && strchr(r, ':'); /* "monthly:25"; a bare period ("monthly") has no day */
}

kc_err kc_extract_demo_plan69(kc_ctx *ctx, const char *data_dir, int64_t real_now, FILE *progress)
{
  kc_err e = kc_unit_group_seed(ctx);
  if (e)
    return e;
  char *path = kc_arena_printf(ctx->arena, "%s/demo/kh-69-ubnd-2017.txt", data_dir);
  size_t len = 0;
  char *text = read_all(path, &len);
  if (!text)
    return kc_ctx_fail(ctx, KC_EIO, NULL, "Không đọc được %s: %s", path, strerror(errno));
  if (kc_time_parse_iso(PLAN_ASSIGNED, &ctx->now)) {
    free(text);
    return KC_EINTERNAL;
  }
  json_t *p = NULL;
  e = kc_extract_propose(ctx, text, len, &p);
  free(text);
  if (e)
    return e;
  json_t *tasks = json_object_get(p, "tasks");
  size_t n = json_array_size(tasks), k = 0;
  kc_task_in *in = kc_arena_zalloc(ctx->arena, (n ? n : 1) * sizeof *in);
  for (size_t i = 0; i < n; i++) {
    json_t *t = json_array_get(tasks, i), *lead = json_object_get(t, "lead");
    const char *kind = json_string_value(json_object_get(lead, "kind"));
    kc_task_in *x = &in[k];
    if (!strcmp(kind, "unit"))
      x->lead_unit_id = json_integer_value(json_object_get(lead, "unit_id"));
    else if (!strcmp(kind, "group"))
      x->group_id = json_integer_value(json_object_get(lead, "group_id"));
    else
      continue; /* a body outside the registry (communes, public service units) */
    x->title = json_string_value(json_object_get(t, "title"));
    x->content = json_string_value(json_object_get(t, "content"));
    x->section = json_string_value(json_object_get(t, "section"));
    const char *due = json_string_value(json_object_get(t, "due_date"));
    const char *rec = json_string_value(json_object_get(t, "recurrence"));
    if (due)
      x->due_date = due;
    else if (dated_recurrence(rec))
      x->recurrence = rec;
    else
      x->due_date = PLAN_DEFAULT_DUE;
    k++;
  }
  json_t *city = NULL, *out = NULL;
  kc_unit_filter f = {.kind = "city", .limit = 1};
  int64_t total;
  if (!(e = kc_unit_list(ctx, &f, &city, &total)) && json_array_size(city) == 0)
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Thiếu đơn vị gốc (UBND Thành phố)");
  kc_directive_in d = {
      .number = json_string_value(json_object_get(p, "number")),
      .kind = "plan",
      .issued_on = json_string_value(json_object_get(p, "issued_on")),
      .issuer_unit_id = e ? 0 : json_integer_value(json_object_get(json_array_get(city, 0), "id")),
      .signer = "Nguyễn Đức Chung",
      .title = json_string_value(json_object_get(p, "title")),
      .text = json_string_value(json_object_get(p, "text"))};
  if (!e)
    e = kc_directive_create_with_tasks(ctx, &d, in, k, &out);
  int64_t did =
      out ? json_integer_value(json_object_get(json_object_get(out, "directive"), "id")) : 0;
  json_decref(out);
  json_decref(city);
  json_decref(p);
  if (!e)
    e = kc_demo_simulate(ctx, did, real_now, progress);
  return e;
}
