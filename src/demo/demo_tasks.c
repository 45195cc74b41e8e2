/* demo_tasks.c: the year 2017 of the demo (see demo.h): the plan's tasks, created by the
 * directive reader (src/extract/demo_plan.c), are moved through 2017 with kc_task_progress and
 * kc_task_complete at simulated dates, so the demo exercises the same rules and audit trail
 * as real use. */
#include "base/clock.h"
#include "demo/demo.h"
#include "demo/timeline.h"
#include "domain/tasks/directive.h"
#include "domain/tasks/task.h"
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_next(uint32_t *st)
{
  uint32_t x = *st;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *st = x;
}

static int64_t at(const char *iso)
{
  int64_t t = 0;
  if (kc_time_parse_iso(iso, &t))
    return 0;
  return t;
}

/* One simulated action on a task. */
typedef struct event {
  int64_t when, task_id;
  bool complete;
  char on[11];
} event;

static int by_time(const void *a, const void *b)
{
  const event *x = a, *y = b;
  if (x->when != y->when)
    return x->when < y->when ? -1 : 1;
  return x->task_id < y->task_id ? -1 : x->task_id > y->task_id;
}

typedef struct task_sim {
  kc_ctx *ctx;
  event *ev;
  size_t n, next;
  uint32_t rng;
} task_sim;

static int64_t sim_next(void *state)
{
  task_sim *t = state;
  return t->next < t->n ? t->ev[t->next].when : KC_DEMO_NEVER;
}

static kc_err sim_step(void *state)
{
  task_sim *t = state;
  kc_ctx *ctx = t->ctx;
  const event *ev = &t->ev[t->next++];
  json_t *out = NULL;
  kc_err e;
  if (!ev->complete) {
    e = kc_task_progress(ctx, ev->task_id, 50, "Đã triển khai, đang tổng hợp kết quả", &out);
  } else {
    const char *o = ev->on;
    const char *evid = kc_arena_printf(ctx->arena, "Báo cáo số %u/BC ngày %.2s/%.2s/%.4s",
                                       100 + rng_next(&t->rng) % 800, o + 8, o + 5, o);
    e = kc_task_complete(ctx, ev->task_id, o, evid, 0, &out);
  }
  json_decref(out);
  return e;
}

static void sim_done(void *state)
{
  task_sim *t = state;
  free(t->ev);
  free(t);
}

/* Plans the life of the plan's tasks: every task due before the real "now" is completed, on
 * time (most), late (some), or left open (a few); some get a progress report first. Only
 * events after ctx->now (the plan's assignment) are kept. */
kc_err kc_demo_tasks_source(kc_ctx *ctx, int64_t directive_id, int64_t real_now,
                            kc_demo_source *src)
{
  static const char q[] = "SELECT id, due_date FROM tasks WHERE directive_id = ? AND is_group = 0 "
                          "AND due_date IS NOT NULL ORDER BY due_date, id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(directive_id));
  if (e)
    return e;
  task_sim *t = kc_xmalloc(sizeof *t);
  *t = (task_sim){.ctx = ctx, .rng = 6917};
  size_t cap = 0;
  int64_t start = ctx->now;
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    int64_t id = kc_stmt_i64(s, 0);
    int64_t due_t = at(kc_stmt_text(s, 1));
    uint32_t r = rng_next(&t->rng) % 100;
    int64_t done_day = r < 78 ? due_t - (int64_t)(rng_next(&t->rng) % 6) * 86400
                              : due_t + (int64_t)(1 + rng_next(&t->rng) % 20) * 86400;
    if (due_t + 86400 > real_now || t->n + 2 > 1000000)
      continue; /* not due yet: stays in progress */
    if (t->n + 2 > cap)
      t->ev = kc_xrealloc(t->ev, (cap = cap ? cap * 2 : 512) * sizeof *t->ev);
    int64_t prog = due_t - 8 * 86400 + 10 * 3600;
    if (r < 30 && prog > start)
      t->ev[t->n++] = (event){.when = prog, .task_id = id};
    int64_t when = done_day + 15 * 3600;
    if (r < 92 && when > start && when < real_now) {
      t->ev[t->n] = (event){.when = when, .task_id = id, .complete = true};
      kc_time_format_date(done_day, t->ev[t->n].on, sizeof t->ev[t->n].on);
      t->n++;
    }
  }
  kc_stmt_reset(s);
  if (e) {
    sim_done(t);
    return e;
  }
  if (t->n)
    qsort(t->ev, t->n, sizeof *t->ev, by_time);
  *src = (kc_demo_source){
      .name = "nhiệm vụ", .state = t, .next = sim_next, .step = sim_step, .done = sim_done};
  return KC_OK;
}
