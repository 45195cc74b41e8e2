/* timeline.h: the demo's simulations told as one story. Each simulation (the plan's tasks, the
 * one-stop desk) is a source of timed events; kc_demo_run always runs the earliest event of
 * all sources next, with ctx->now at its time, so the audit log's times never go backwards
 * (`kycuong audit verify` checks that) even though the sources span the same years. */
#ifndef KC_DEMO_TIMELINE_H
#define KC_DEMO_TIMELINE_H
#include "domain/core/ctx.h"
#include <stdint.h>
#include <stdio.h>

#define KC_DEMO_NEVER INT64_MAX

typedef struct kc_demo_source {
  const char *name; /* for error messages: "nhiệm vụ", "một cửa" */
  void *state;
  /* The time of the source's next event, KC_DEMO_NEVER when it has none left. Must not be
   * earlier than the time of the event it ran last. */
  int64_t (*next)(void *state);
  /* Runs that event; ctx->now is already its time. May schedule later events. */
  kc_err (*step)(void *state);
  /* Frees the state (NULL-safe source fields); called once by kc_demo_run. */
  void (*done)(void *state);
} kc_demo_source;

/* Runs the events of the n sources in time order, a few hundred per transaction (each action
 * still checks and audits as on its own), with a per-event scratch arena. Stops at the first
 * failure, whose message stays in ctx. Calls every source's done, on success or not. Progress
 * (the date reached, events run) goes to `progress` (may be NULL). */
kc_err kc_demo_run(kc_ctx *ctx, kc_demo_source *sources, size_t n, FILE *progress) KC_WUR;

#endif
