/* notice.h: prodding (đôn đốc). The rules that decide which reminders, overdue notices and
 * escalations are due today, the inbox that shows them, and the queue of e-mails and SMS
 * that src/notify delivers. Delivery itself is not here (the domain talks to no network). */
#ifndef KC_DOMAIN_NOTICE_H
#define KC_DOMAIN_NOTICE_H
#include "calendar/calendar.h"
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_prod_rules {
  int overdue_every;  /* working days between overdue notices (≥ 1) */
  int escalate_after; /* working days overdue before escalating */
  bool email, sms;    /* queue those channels too (when the recipient has an address) */
  const char *public_url;
} kc_prod_rules;

/* Plans today's notices for every open task: a reminder 5 and 1 working days before the
 * deadline and on the day; an overdue notice on the first working day after it and every
 * overdue_every working days; an escalation to the heads of the lead unit's parent and of the
 * assigning unit once escalate_after working days have passed. A reminder or overdue notice
 * that reaches nobody (no active head or officer in the lead unit) goes to the heads of the
 * assigning unit instead, saying so (to the administrators if that unit has no head either).
 * Runs only on working days
 * (what falls due on a day off is sent on the next working day). Idempotent: each notice has
 * a unique key, so a second pass the same day creates nothing. *created counts new rows. */
kc_err kc_notice_plan(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_prod_rules *rules,
                      int *created) KC_WUR;

/* Sends one event to the accounts `sql` finds (bound: ?1 and ?2 unit ids, ?3 an assignee
 * official id), through the inbox and, when the rules ask and an address is known, e-mail and
 * SMS; about a task or a dossier (0: none). `key` + recipient + channel is each row's unique
 * key, so sending the same event twice creates nothing. *created counts new rows. */
kc_err kc_notice_send(kc_ctx *ctx, const kc_prod_rules *rules, const char *sql, int64_t u1,
                      int64_t u2, int64_t assignee, const char *key, int64_t task_id,
                      int64_t dossier_id, const char *kind, const char *subject, const char *body,
                      int *created) KC_WUR;
/* kc_notice_send, also telling in *reached how many accounts the query found (0: the event
 * reached nobody, and the caller decides who must hear of that). */
kc_err kc_notice_send_reached(kc_ctx *ctx, const kc_prod_rules *rules, const char *sql, int64_t u1,
                              int64_t u2, int64_t assignee, const char *key, int64_t task_id,
                              int64_t dossier_id, const char *kind, const char *subject,
                              const char *body, int *created, int *reached) KC_WUR;
/* One queued e-mail or SMS. Strings are arena-owned. */
typedef struct kc_outgoing {
  int64_t id;
  const char *address, *subject, *body;
} kc_outgoing;

/* Claims up to max undelivered notices of a channel ("email" or "sms") for this process:
 * each row is claimed with a conditional update, so two servers never send the same one. */
kc_err kc_notice_claim(kc_ctx *ctx, const char *channel, int max, kc_outgoing **out,
                       size_t *n) KC_WUR;
/* Records the outcome of a delivery. */
kc_err kc_notice_delivered(kc_ctx *ctx, int64_t id, const char *error) KC_WUR;

/* The acting account's inbox, newest first: {items, total_count, unread}. */
kc_err kc_notice_inbox(kc_ctx *ctx, bool unread_only, int64_t limit, int64_t offset,
                       json_t **out) KC_WUR;
kc_err kc_notice_mark_read(kc_ctx *ctx, int64_t id) KC_WUR;
/* The prodding history of a task (inbox rows; one per recipient). */
kc_err kc_notice_for_task(kc_ctx *ctx, int64_t task_id, json_t **items) KC_WUR;

#endif
