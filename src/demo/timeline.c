/* timeline.c: see timeline.h. */
#include "demo/timeline.h"
#include "base/clock.h"
#include "base/mem.h"
#include <inttypes.h>

enum { BATCH = 300, PROGRESS_EVERY = 500 };

kc_err kc_demo_run(kc_ctx *ctx, kc_demo_source *sources, size_t n, FILE *progress)
{
  kc_arena *saved = ctx->arena;
  kc_arena scratch;
  kc_arena_init(&scratch);
  int64_t ran = 0, last = INT64_MIN;
  kc_err e = kc_tx_outer_begin(ctx);
  while (!e) {
    size_t pick = n;
    int64_t when = KC_DEMO_NEVER;
    for (size_t i = 0; i < n; i++) {
      int64_t t = sources[i].next(sources[i].state);
      if (t < when) {
        when = t;
        pick = i;
      }
    }
    if (pick == n)
      break;
    if (when < last) {
      /* a source went back in time: the story would not be in order */
      e = kc_ctx_fail(ctx, KC_EINTERNAL, NULL, "dữ liệu mẫu %s lùi thời gian", sources[pick].name);
      break;
    }
    last = when;
    if (ran && ran % BATCH == 0) {
      e = kc_tx_outer_end(ctx, KC_OK);
      if (!e)
        e = kc_tx_outer_begin(ctx);
      if (e)
        break;
    }
    /* Each step acts as whom it chooses; the next starts again as the caller (the system). */
    const kc_actor *actor = ctx->actor;
    ctx->now = when;
    ctx->arena = &scratch;
    e = sources[pick].step(sources[pick].state);
    ctx->arena = saved;
    ctx->actor = actor;
    if (e) {
      /* the message outlives the scratch arena: cmd_init prints it */
      ctx->err_message = kc_arena_printf(saved, "%s: %s", sources[pick].name,
                                         ctx->err_message ? ctx->err_message : kc_err_message(e));
      ctx->err_field = kc_arena_strdup(saved, ctx->err_field);
    }
    kc_arena_free(&scratch);
    if (progress && ++ran % PROGRESS_EVERY == 0) {
      char day[16];
      kc_time_format_date(when, day, sizeof day);
      fprintf(progress, "\rdữ liệu mẫu: %" PRId64 " thao tác, đến ngày %.2s/%.2s/%.4s", ran,
              day + 8, day + 5, day);
      fflush(progress);
    }
  }
  e = kc_tx_outer_end(ctx, e);
  if (progress && ran >= PROGRESS_EVERY)
    fputc('\n', progress);
  for (size_t i = 0; i < n; i++)
    if (sources[i].done)
      sources[i].done(sources[i].state);
  return e;
}
