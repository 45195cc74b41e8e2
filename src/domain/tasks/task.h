/* task.h: tasks assigned to units, their progress, completion, extensions and cancellation,
 * and the timeliness statistics official reports count (vn-rules §8). Records are JSON
 * objects (see task_json in task.c and docs/api.md); the caller owns each json_t.
 *
 * Timeliness is derived, never stored: `cancelled`; `done_on_time` / `done_late` when
 * completed on or before / after the due date; otherwise `in_progress_overdue` when today is
 * past the due date, else `in_progress`. An `in_progress` task is also `due_soon` when at most
 * the due_soon_days setting's working days are left until its due date (ctx->cfg, with the
 * working-day calendar of ctx->workcal). */
#ifndef KC_DOMAIN_TASK_H
#define KC_DOMAIN_TASK_H
#include "base/jsonw.h"
#include "domain/core/ctx.h"
#include "domain/core/workcal.h"
#include <jansson.h>

#define KC_TASK_MAX_SUPPORT 64
#define KC_TASK_INSTANCE_MONTHS 12 /* how far ahead recurring instances are created */
/* A bound on the JSON text of one task record: the members' byte limits (content 20,000,
 * title 1,000, evidence and cancel reason 2,000 each, names) doubled for escapes, with room
 * to spare for imported data. Caps the writers of records and lists. */
#define KC_TASK_JSON_MAX (256 * 1024)
/* What a task record usually takes (600-700 bytes in lists), for sizing buffers up front:
 * room for a page of n records is KC_TASK_JSON_TYPICAL * n, up to a mebibyte. */
#define KC_TASK_JSON_TYPICAL 1024
#define KC_TASK_JSON_RESERVE(n)                                                                    \
  ((size_t)(n) < (1u << 10) ? (size_t)(n)*KC_TASK_JSON_TYPICAL + 256 : (size_t)1 << 20)

typedef struct kc_task_in {
  int64_t directive_id; /* 0: a stand-alone task */
  int64_t lead_unit_id; /* one lead unit, or */
  int64_t group_id;     /* a unit group: one task per unit under a parent */
  const int64_t *support_unit_ids;
  size_t n_support;
  int64_t assignee_official_id; /* 0: none */
  const char *title, *content, *due_date, *recurrence, *section;
  int64_t parent_id; /* a subtask of this task */
  int64_t version;   /* updates */
} kc_task_in;

typedef struct kc_task_filter {
  int64_t directive_id, lead_unit_id, parent_id, owner_unit_id;
  const char *status; /* one of the timeliness values, or "open" / "done" / "due_soon" */
  const char *due_from, *due_to;
  const char *q;                /* accent-insensitive words of the title */
  bool top_level;               /* only tasks without a parent */
  bool mine;                    /* only tasks of the actor's own unit subtree (as lead) */
  int64_t assignee_official_id; /* 0: any */
  int64_t limit, offset;
} kc_task_filter;

/* Creates a task, a group of tasks (parent + one per unit) or a recurring task (template +
 * its instances for the next KC_TASK_INSTANCE_MONTHS months). Returns the created parent or
 * task, with "children" listing created instances or per-unit tasks. */
kc_err kc_task_create(kc_ctx *ctx, const kc_task_in *in, json_t **out) KC_WUR;
kc_err kc_task_get(kc_ctx *ctx, int64_t id, json_t **out) KC_WUR;
/* The page of tasks a filter selects among those the actor may read (by due date, undated
 * last, then id), and in *total the number of all matches. kc_task_list_write writes the
 * page as a JSON array of task records into w, row by row from the statement: what list
 * answers use. On error w holds a partial array: discard it. kc_task_list gives the same
 * array as a json_t the caller owns (exports, calendar feeds). */
kc_err kc_task_list_write(kc_ctx *ctx, const kc_task_filter *f, kc_jsonw *w, int64_t *total) KC_WUR;
kc_err kc_task_list(kc_ctx *ctx, const kc_task_filter *f, json_t **items, int64_t *total) KC_WUR;
/* Title, content, assignee, support units (by the assigner). The due date changes only
 * through extensions (or by the assigner, recorded in the deadline history). */
kc_err kc_task_update(kc_ctx *ctx, int64_t id, const kc_task_in *in, json_t **out) KC_WUR;

/* Progress report by the lead unit: percent 0..100 and a note. */
kc_err kc_task_progress(kc_ctx *ctx, int64_t id, int percent, const char *note,
                        json_t **out) KC_WUR;
kc_err kc_task_progress_list(kc_ctx *ctx, int64_t id, json_t **items) KC_WUR;
/* Completion by the lead unit with evidence (the reporting document's number and date). */
kc_err kc_task_complete(kc_ctx *ctx, int64_t id, const char *completed_on, const char *evidence,
                        int64_t version, json_t **out) KC_WUR;
/* Reopening by the assigner, with a reason. */
kc_err kc_task_reopen(kc_ctx *ctx, int64_t id, const char *reason, int64_t version,
                      json_t **out) KC_WUR;
/* Cancellation by the assigner, with a reason. */
kc_err kc_task_cancel(kc_ctx *ctx, int64_t id, const char *reason, int64_t version,
                      json_t **out) KC_WUR;
/* Extension requests by the lead unit; decisions by the assigner. */
kc_err kc_task_extension_request(kc_ctx *ctx, int64_t id, const char *new_due, const char *reason,
                                 json_t **out) KC_WUR;
/* Approves (the task's due date moves, recorded in its deadline history) or refuses an
 * extension request, by the request's id. */
kc_err kc_task_extension_decide(kc_ctx *ctx, int64_t ext_id, bool approve, const char *note,
                                json_t **out) KC_WUR;
kc_err kc_task_extension_list(kc_ctx *ctx, int64_t id, json_t **items) KC_WUR;
kc_err kc_task_due_history(kc_ctx *ctx, int64_t id, json_t **items) KC_WUR;

/* Per lead unit for tasks due in [from, to] (optionally of one directive): assigned,
 * done_on_time, done_late, open_in_time, open_overdue, on_time_rate; and the total. Units
 * are ranked by on_time_rate, then by assigned. */
kc_err kc_task_stats(kc_ctx *ctx, const char *from, const char *to, int64_t directive_id,
                     json_t **out) KC_WUR;

/* Keeps every active recurring task's dated instances created KC_TASK_INSTANCE_MONTHS ahead
 * of today (run by the scheduler). *created counts new instances. Idempotent. */
kc_err kc_task_extend_recurring(kc_ctx *ctx, int *created) KC_WUR;

/* Unit groups. */
kc_err kc_unit_group_list(kc_ctx *ctx, json_t **items, int64_t *total) KC_WUR;
kc_err kc_unit_group_create(kc_ctx *ctx, const char *code, const char *name,
                            const int64_t *unit_ids, size_t n, json_t **out) KC_WUR;
kc_err kc_unit_group_update(kc_ctx *ctx, int64_t id, int64_t version, const char *name,
                            const int64_t *unit_ids, size_t n, bool set_members,
                            json_t **out) KC_WUR;
/* Creates the standard groups (all departments, all districts) from the unit tree. */
kc_err kc_unit_group_seed(kc_ctx *ctx) KC_WUR;

#endif
