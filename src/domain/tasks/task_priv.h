/* task_priv.h: what the task module's files share (task.c, task_flow.c, task_stats.c). */
#ifndef KC_DOMAIN_TASK_PRIV_H
#define KC_DOMAIN_TASK_PRIV_H
#include "domain/tasks/task.h"

typedef struct kc_task_row {
  int64_t id, version, lead_unit_id, owner_unit_id;
  const char *lead_path, *owner_path, *due_date, *status; /* arena-owned */
  bool is_group, recurring;
  json_t *json; /* the record; the caller owns it */
} kc_task_row;

/* Loads a task without scope checks (KC_ENOTFOUND when absent). */
kc_err kc_task__load(kc_ctx *ctx, int64_t id, kc_task_row *r);
/* Loads a task the actor may see; otherwise KC_ENOTFOUND with a message in ctx. */
kc_err kc_task__load_visible(kc_ctx *ctx, int64_t id, kc_task_row *r);
kc_err kc_task__visible(kc_ctx *ctx, const kc_task_row *r, bool *yes);
/* The assigning side (owner unit's head, city-wide assigners) and the lead unit's side. */
bool kc_task__is_assigner(const kc_ctx *ctx, const kc_task_row *r);
bool kc_task__is_lead(const kc_ctx *ctx, const kc_task_row *r);
/* Today's date in UTC+7, arena-owned. */
const char *kc_task__today(kc_ctx *ctx);
kc_err kc_task__due_history(kc_ctx *ctx, int64_t id, const char *old_due, const char *new_due,
                            const char *reason);
/* The last due date that makes an open task due soon today: working days in (today, due]
 * at most the due_soon_days setting. Arena-owned YYYY-MM-DD. Fails only when the calendar
 * cannot be read. */
kc_err kc_task__soon_until(kc_ctx *ctx, const char **until) KC_WUR;
/* The task record of the current row of a statement selecting TASK_COLS (task.c): written
 * to w, or as a json_t the caller owns. soon_until: from kc_task__soon_until. */
void kc_task__row_write(kc_jsonw *w, kc_stmt *s, const char *soon_until);
json_t *kc_task__row_json(kc_stmt *s, const char *soon_until);

#endif
