/* sched.c: one scheduler pass. */
#include "base/log.h"
#include "domain/cases/case.h"
#include "domain/core/notice.h"
#include "domain/onestop/dossier.h"
#include "domain/tasks/task.h"
#include "notify/notify.h"
#include <string.h>

/* Delivers what is queued for one channel, a batch at a time. */
static kc_err deliver(kc_ctx *ctx, const kc_config *cfg, const char *channel, int *ok, int *failed)
{
  for (int round = 0; round < 20; round++) {
    kc_outgoing *rows;
    size_t n;
    kc_err e = kc_notice_claim(ctx, channel, 50, &rows, &n);
    if (e)
      return e;
    if (!n)
      return KC_OK;
    for (size_t i = 0; i < n; i++) {
      char err[300] = "";
      kc_err se = !strcmp(channel, "email")
                      ? kc_mail_send(cfg, rows[i].address, rows[i].subject, rows[i].body, ctx->now,
                                     err, sizeof err)
                      : kc_sms_send(cfg, rows[i].address, rows[i].subject, err, sizeof err);
      if (se) {
        kc_log_warn("notify: %s to %s failed: %s", channel, rows[i].address, err);
        (*failed)++;
      } else {
        (*ok)++;
      }
      e = kc_notice_delivered(ctx, rows[i].id, se ? err : NULL);
      if (e)
        return e;
    }
  }
  return KC_OK;
}

kc_err kc_tick(kc_ctx *ctx, const kc_config *cfg, kc_workcal_cache *cals, kc_tick_report *rep)
{
  memset(rep, 0, sizeof *rep);
  kc_err e = kc_task_extend_recurring(ctx, &rep->instances);
  if (e)
    return e;
  kc_workcal *w;
  e = kc_workcal_acquire(ctx, cals, &w);
  if (e)
    return e;
  kc_prod_rules rules = {.overdue_every = cfg->overdue_every,
                         .escalate_after = cfg->escalate_after,
                         .email = *cfg->smtp_url != 0,
                         .sms = *cfg->sms_url != 0,
                         .public_url = cfg->public_url};
  e = kc_notice_plan(ctx, kc_workcal_get(w), &rules, &rep->notices);
  int cases = 0;
  if (!e)
    e = kc_case_plan_notices(ctx, kc_workcal_get(w), &rules, &cases);
  if (!e)
    rep->notices += cases;
  kc_workcal_release(cals, w);
  int owed = 0;
  if (!e)
    e = kc_dossier_plan_notices(ctx, &rules, &owed);
  if (!e)
    rep->notices += owed;
  if (!e && rules.email)
    e = deliver(ctx, cfg, "email", &rep->emails, &rep->failures);
  if (!e && rules.sms)
    e = deliver(ctx, cfg, "sms", &rep->sms, &rep->failures);
  return e;
}
