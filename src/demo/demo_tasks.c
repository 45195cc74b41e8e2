/* demo_tasks.c: the year 2017 of the demo (see demo.h): the plan's tasks, created by the
 * directive reader (src/extract/demo_plan.c), are moved through 2017 with kc_task_progress and
 * kc_task_complete at simulated dates, so the demo exercises the same rules and audit trail
 * as real use. */
#include "base/clock.h"
#include "demo/demo.h"
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

/* Moves the plan's tasks through 2017: every task due before the real "now" is completed,
 * on time (most), late (some), or left open (a few); some get a progress report first. The
 * actions are applied in time order so the audit log's times never go backwards. */
kc_err kc_demo_simulate(kc_ctx *ctx, int64_t directive_id, int64_t real_now, FILE *progress)
{
  static const char q[] = "SELECT id, due_date FROM tasks WHERE directive_id = ? AND is_group = 0 "
                          "AND due_date IS NOT NULL ORDER BY due_date, id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  kc_stmt_bind_i64(s, 1, directive_id);
  event *ev = NULL;
  size_t n = 0, cap = 0;
  uint32_t rng = 6917;
  int64_t start = ctx->now;
  while (!(e = kc_stmt_step(s, &row)) && row) {
    int64_t id = kc_stmt_i64(s, 0);
    int64_t due_t = at(kc_stmt_text(s, 1));
    uint32_t r = rng_next(&rng) % 100;
    int64_t done_day = r < 78 ? due_t - (int64_t)(rng_next(&rng) % 6) * 86400
                              : due_t + (int64_t)(1 + rng_next(&rng) % 20) * 86400;
    if (due_t + 86400 > real_now || n + 2 > 1000000)
      continue; /* not due yet: stays in progress */
    if (n + 2 > cap)
      ev = kc_xrealloc(ev, (cap = cap ? cap * 2 : 512) * sizeof *ev);
    int64_t prog = due_t - 8 * 86400 + 10 * 3600;
    if (r < 30 && prog > start)
      ev[n++] = (event){.when = prog, .task_id = id};
    int64_t when = done_day + 15 * 3600;
    if (r < 92 && when > start && when < real_now) {
      ev[n] = (event){.when = when, .task_id = id, .complete = true};
      kc_time_format_date(done_day, ev[n].on, sizeof ev[n].on);
      n++;
    }
  }
  kc_stmt_reset(s);
  if (n)
    qsort(ev, n, sizeof *ev, by_time);
  for (size_t i = 0; !e && i < n; i++) {
    json_t *out = NULL;
    ctx->now = ev[i].when;
    if (!ev[i].complete) {
      e = kc_task_progress(ctx, ev[i].task_id, 50, "Đã triển khai, đang tổng hợp kết quả", &out);
    } else {
      const char *o = ev[i].on;
      const char *evid = kc_arena_printf(ctx->arena, "Báo cáo số %u/BC ngày %.2s/%.2s/%.4s",
                                         100 + rng_next(&rng) % 800, o + 8, o + 5, o);
      e = kc_task_complete(ctx, ev[i].task_id, o, evid, 0, &out);
    }
    json_decref(out);
    if (progress && (i + 1) % 500 == 0) {
      fprintf(progress, "\rdữ liệu mẫu nhiệm vụ: %zu/%zu", i + 1, n);
      fflush(progress);
    }
  }
  if (progress && n >= 500)
    fputc('\n', progress);
  free(ev);
  return e;
}
