/* notify.h: delivering notices (e-mail over SMTP, SMS through an HTTP gateway, both with
 * libcurl) and the scheduler pass that `kycuong tick` and `serve` run: plan today's notices,
 * keep recurring tasks' instances created ahead, deliver what is queued. */
#ifndef KC_NOTIFY_NOTIFY_H
#define KC_NOTIFY_NOTIFY_H
#include "base/config.h"
#include "domain/core/ctx.h"
#include "domain/core/workcal.h"
#include <stdio.h>

/* Initialises libcurl once per process (call before threads start). */
kc_err kc_notify_init(void) KC_WUR;
void kc_notify_cleanup(void);

/* Sends one UTF-8 text e-mail through cfg->smtp_url. On failure returns KC_EIO and writes a
 * developer-facing reason into err. */
kc_err kc_mail_send(const kc_config *cfg, const char *to, const char *subject, const char *body,
                    int64_t now, char *err, size_t errcap) KC_WUR;
/* Posts {"to","text"} as JSON to cfg->sms_url; any 2xx answer is success. */
kc_err kc_sms_send(const kc_config *cfg, const char *to, const char *text, char *err,
                   size_t errcap) KC_WUR;

typedef struct kc_tick_report {
  int notices;   /* notice rows created (inbox + queued) */
  int instances; /* recurring instances created */
  int emails, sms, failures;
} kc_tick_report;

/* One scheduler pass at ctx->now. Safe to run from several processes at once: planning is
 * idempotent and deliveries are claimed row by row. */
kc_err kc_tick(kc_ctx *ctx, const kc_config *cfg, kc_workcal_cache *cals,
               kc_tick_report *rep) KC_WUR;

#endif
