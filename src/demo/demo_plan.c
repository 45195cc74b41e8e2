/* demo_plan.c: see demo_plan.h. */
#include "demo/demo_plan.h"
#include "base/clock.h"
#include "demo/demo.h"
#include "demo/timeline.h"
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

/* The plan is created at its assignment time, then its tasks' lives follow. */
typedef struct plan_source {
  kc_ctx *ctx;
  const char *data_dir;
  int64_t assigned, real_now;
  bool created;
  kc_demo_source tasks;
} plan_source;

/* Reads the plan, proposes its tasks and creates the directive with them at ctx->now;
 * *directive_id is the new directive. */
static kc_err create_plan(kc_ctx *ctx, const char *data_dir, int64_t *directive_id)
{
  kc_err e = kc_unit_group_seed(ctx);
  if (e)
    return e;
  char *path = kc_arena_printf(ctx->arena, "%s/demo/kh-69-ubnd-2017.txt", data_dir);
  size_t len = 0;
  char *text = read_all(path, &len);
  if (!text)
    return kc_ctx_fail(ctx, KC_EIO, NULL, "Không đọc được %s: %s", path, strerror(errno));
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
  e = kc_unit_list(ctx, &f, &city, &total);
  if (!e && json_array_size(city) == 0)
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
  *directive_id =
      out ? json_integer_value(json_object_get(json_object_get(out, "directive"), "id")) : 0;
  json_decref(out);
  json_decref(city);
  json_decref(p);
  return e;
}

static int64_t plan_next(void *state)
{
  plan_source *ps = state;
  if (ps->created)
    return ps->tasks.next(ps->tasks.state);
  return ps->assigned < ps->real_now ? ps->assigned : KC_DEMO_NEVER; /* not assigned yet */
}

static kc_err plan_step(void *state)
{
  plan_source *ps = state;
  if (ps->created)
    return ps->tasks.step(ps->tasks.state);
  int64_t did = 0;
  kc_err e = create_plan(ps->ctx, ps->data_dir, &did);
  if (!e)
    e = kc_demo_tasks_source(ps->ctx, did, ps->real_now, &ps->tasks);
  ps->created = !e;
  return e;
}

static void plan_done(void *state)
{
  plan_source *ps = state;
  if (ps->created && ps->tasks.done)
    ps->tasks.done(ps->tasks.state);
  free(ps);
}

kc_err kc_demo_plan69_source(kc_ctx *ctx, const char *data_dir, int64_t real_now,
                             kc_demo_source *src)
{
  plan_source *ps = kc_xmalloc(sizeof *ps);
  *ps = (plan_source){.ctx = ctx, .data_dir = data_dir, .real_now = real_now};
  if (kc_time_parse_iso(PLAN_ASSIGNED, &ps->assigned)) {
    free(ps);
    return KC_EINTERNAL;
  }
  *src = (kc_demo_source){
      .name = "Kế hoạch 69", .state = ps, .next = plan_next, .step = plan_step, .done = plan_done};
  return KC_OK;
}
