/* case_remind.c: prodding about cases through the notice scheduler (notice.h): reminders
 * before a clock's deadline, overdue notices after it, escalation to the side above. The
 * notices' keys start with "case:<id>:", which is how their rows get the case's id. */
#include "base/clock.h"
#include "domain/cases/case_priv.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The handling unit's staff and the assigned official (?1 unit, ?2 unused, ?3 official). */
static const char q_unit[] =
    "SELECT a.id, o.email, o.phone FROM accounts a LEFT JOIN officials o ON o.id = a.official_id "
    "WHERE a.disabled = 0 AND ((a.unit_id = ? AND a.role IN ('unit_head','officer') AND ? >= 0) "
    "OR (a.official_id IS NOT NULL AND a.official_id = ?)) ORDER BY a.id";
/* The side above: heads of the handling unit's parent and of the owner unit (leaders too
 * when that is the city), and the account that received or assigned the case (?3). */
static const char q_above[] =
    "SELECT a.id, o.email, o.phone FROM accounts a LEFT JOIN officials o ON o.id = a.official_id "
    "WHERE a.disabled = 0 AND ((a.role IN ('unit_head','leader') AND (a.unit_id = ? OR "
    "a.unit_id = ?)) OR a.id = ?) ORDER BY a.id";

/* Whether the handling side has anyone to tell (?1 unit, ?2 official). */
static const char q_reach[] =
    "SELECT 1 FROM accounts a WHERE a.disabled = 0 AND ((a.unit_id = ? AND a.role IN "
    "('unit_head','officer')) OR (a.official_id IS NOT NULL AND a.official_id = ?)) LIMIT 1";

typedef struct open_clock {
  int64_t case_id, unit_id, unit_parent, owner_unit_id, official_id, created_by;
  int64_t overdue_at, soon_at;
  char kind[80], clock[80], title[600], unit_name[320], due[KC_CAL_DATE_LEN + 1];
} open_clock;

/* "2017-04-30" → "30/04/2017" */
static void vn_date(const char *iso, char out[11])
{
  snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* Sends a reminder or an overdue notice to the handling side; when nobody there has an
 * account (a unit not yet given any), to the side above instead, saying so, so that the
 * notice never vanishes. */
static kc_err send_to_unit(kc_ctx *ctx, const kc_prod_rules *rules, const open_clock *c,
                           const char *key, const char *kind, const char *subject, const char *body,
                           int *created)
{
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q_reach, &s, KC_I64(c->unit_id), KC_I64(c->official_id));
  if (e)
    return e;
  bool any = false;
  e = kc_stmt_step(s, &any);
  kc_stmt_reset(s);
  if (e)
    return e;
  if (any)
    return kc_notice_send(ctx, rules, q_unit, c->unit_id, 0, c->official_id, key, 0, 0, kind,
                          subject, body, created);
  const char *k = kc_arena_printf(ctx->arena, "%s:unreached", key);
  const char *sub = kc_arena_printf(ctx->arena, "%s chưa có tài khoản nhận thông báo — %s",
                                    c->unit_name, subject);
  const char *b = kc_arena_printf(ctx->arena,
                                  "Thông báo dưới đây không gửi được cho %s (đơn vị chưa có tài "
                                  "khoản cán bộ); đề nghị lãnh đạo chuyển tiếp, đôn đốc.\n\n%s",
                                  c->unit_name, body);
  return kc_notice_send(ctx, rules, q_above, c->unit_parent, c->owner_unit_id, c->created_by, k, 0,
                        0, kind, sub, b, created);
}

/* Gives the case's id to the notices just written under its key prefix. */
static kc_err tag_case(kc_ctx *ctx, int64_t case_id)
{
  static const char q[] = "UPDATE notices SET case_id = ? WHERE case_id IS NULL AND key >= ? AND "
                          "key < ?";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  kc_stmt_bind_vals(s, KC_I64(case_id),
                    KC_TXT(kc_arena_printf(ctx->arena, "case:%" PRId64 ":", case_id)),
                    KC_TXT(kc_arena_printf(ctx->arena, "case:%" PRId64 ";", case_id)));
  return kc_stmt_run(s);
}

static kc_err plan_clock(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_prod_rules *rules,
                         kc_cal_day today, const open_clock *c, int *created)
{
  kc_cal_day due;
  if (kc_cal_parse_date(c->due, strlen(c->due), &due) != KC_CAL_OK)
    return KC_OK;
  const kc_case_kind *k = kc_case_kind_find(c->kind);
  const kc_case_clock *def = k ? kc_case__clock(k, c->clock) : NULL;
  const char *kind_name = k ? k->name : c->kind, *clock_name = def ? def->name : c->clock;
  char dvn[11];
  vn_date(c->due, dvn);
  const char *link =
      kc_arena_printf(ctx->arena, "%s/#/cases/%" PRId64, rules->public_url, c->case_id);
  const char *base = kc_arena_printf(ctx->arena, "case:%" PRId64 ":%s", c->case_id, c->clock);
  int before = *created;
  kc_err e = KC_OK;
  int32_t wd = 0;
  if (ctx->now < c->overdue_at) {
    if (kc_cal_count_workdays(cal, today, due, &wd) != KC_CAL_OK)
      return KC_OK;
    if (wd < 0)
      wd = 0;
    const char *stage = due <= today ? "due" : "soon";
    const char *key = kc_arena_printf(ctx->arena, "%s:reminder:%s:%s", base, c->due, stage);
    const char *subject =
        due <= today ? kc_arena_printf(ctx->arena, "Hôm nay là hạn %s: %s", clock_name, c->title)
                     : kc_arena_printf(ctx->arena, "Nhắc hạn %s: còn %d ngày làm việc — %s",
                                       clock_name, (int)wd, c->title);
    const char *body = kc_arena_printf(
        ctx->arena,
        "Kính gửi %s,\n\n%s \"%s\" có %s đến ngày %s (còn %d ngày làm việc).\nĐề nghị đơn vị "
        "xử lý đúng hạn.\n\nXem hồ sơ: %s\n\n— Hệ thống đôn đốc kycuong",
        c->unit_name, kind_name, c->title, clock_name, dvn, (int)wd, link);
    e = send_to_unit(ctx, rules, c, key, "reminder", subject, body, created);
  } else {
    if (kc_cal_count_workdays(cal, due, today, &wd) != KC_CAL_OK)
      return KC_OK;
    if (wd < 1) /* overdue within the due day (working hours) */
      wd = 1;
    int every = rules->overdue_every > 0 ? rules->overdue_every : 1;
    /* one notice per period of `every` working days (see notice.c) */
    const char *key =
        kc_arena_printf(ctx->arena, "%s:overdue:%s:%d", base, c->due, ((int)wd - 1) / every);
    const char *subject = kc_arena_printf(ctx->arena, "Quá hạn %s %d ngày làm việc: %s", clock_name,
                                          (int)wd, c->title);
    const char *body = kc_arena_printf(
        ctx->arena,
        "Kính gửi %s,\n\n%s \"%s\" đã quá %s (ngày %s) %d ngày làm việc.\nĐề nghị đơn vị khẩn "
        "trương xử lý hoặc giải trình lý do chậm muộn.\n\nXem hồ sơ: %s\n\n— Hệ thống đôn đốc "
        "kycuong",
        c->unit_name, kind_name, c->title, clock_name, dvn, (int)wd, link);
    e = send_to_unit(ctx, rules, c, key, "overdue", subject, body, created);
    if (!e && wd >= rules->escalate_after) {
      key = kc_arena_printf(ctx->arena, "%s:escalation:%s", base, c->due);
      subject =
          kc_arena_printf(ctx->arena, "Báo cáo vượt cấp: %s chưa xử lý %s quá hạn %d ngày làm việc",
                          c->unit_name, kind_name, (int)wd);
      body = kc_arena_printf(
          ctx->arena,
          "%s \"%s\" giao %s, %s đến ngày %s, đã quá hạn %d ngày làm việc.\nĐề nghị lãnh đạo "
          "chỉ đạo, đôn đốc.\n\nXem hồ sơ: %s\n\n— Hệ thống đôn đốc kycuong",
          kind_name, c->title, c->unit_name, clock_name, dvn, (int)wd, link);
      e = kc_notice_send(ctx, rules, q_above, c->unit_parent, c->owner_unit_id, c->created_by, key,
                         0, 0, "escalation", subject, body, created);
    }
  }
  if (!e && *created > before)
    e = tag_case(ctx, c->case_id);
  return e;
}

kc_err kc_case_plan_notices(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_prod_rules *rules,
                            int *created)
{
  *created = 0;
  kc_cal_day today = kc_cal_day_of_instant(ctx->now);
  if (!kc_cal_is_workday(cal, today))
    return KC_OK;
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  /* running clocks of open cases that are due soon or overdue now */
  static const char q[] =
      "SELECT c.id, c.kind, k.clock, c.title, c.unit_id, u.name, COALESCE(u.parent_id, 0), "
      "c.owner_unit_id, COALESCE(c.official_id, 0), COALESCE(c.created_by, 0), k.due_date, "
      "k.overdue_at, k.soon_at FROM case_clocks k JOIN cases c ON c.id = k.case_id JOIN units u "
      "ON u.id = c.unit_id WHERE k.state = 'running' AND c.closed_at IS NULL AND (k.soon_at <= ? "
      "OR k.overdue_at <= ?) ORDER BY c.id, k.id";
  kc_stmt *s;
  kc_arena *saved = ctx->arena;
  kc_arena scratch;
  kc_arena_init(&scratch);
  /* Collected first: the notices are written on the same connection. Bounded per pass. */
  enum { MAX_PER_PASS = 20000 };
  open_clock *items = kc_xmalloc(sizeof *items * 64);
  size_t n = 0, cap = 64;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_I64(ctx->now));
  if (!e) {
    while (kc_case__next(s, &e) && n < MAX_PER_PASS) {
      if (n == cap) {
        cap *= 2;
        open_clock *bigger = realloc(items, cap * sizeof *items);
        if (!bigger)
          abort();
        items = bigger;
      }
      open_clock *c = &items[n++];
      c->case_id = kc_stmt_i64(s, 0);
      snprintf(c->kind, sizeof c->kind, "%s", kc_stmt_text(s, 1));
      snprintf(c->clock, sizeof c->clock, "%s", kc_stmt_text(s, 2));
      snprintf(c->title, sizeof c->title, "%s", kc_stmt_text(s, 3));
      c->unit_id = kc_stmt_i64(s, 4);
      snprintf(c->unit_name, sizeof c->unit_name, "%s", kc_stmt_text(s, 5));
      c->unit_parent = kc_stmt_i64(s, 6);
      c->owner_unit_id = kc_stmt_i64(s, 7);
      c->official_id = kc_stmt_i64(s, 8);
      c->created_by = kc_stmt_i64(s, 9);
      snprintf(c->due, sizeof c->due, "%s", kc_stmt_text(s, 10));
      c->overdue_at = kc_stmt_i64(s, 11);
      c->soon_at = kc_stmt_i64(s, 12);
    }
    kc_stmt_reset(s);
  }
  for (size_t i = 0; !e && i < n; i++) {
    ctx->arena = &scratch;
    e = plan_clock(ctx, cal, rules, today, &items[i], created);
    ctx->arena = saved;
    kc_arena_free(&scratch);
  }
  free(items);
  return kc_tx_end(ctx, e);
}
