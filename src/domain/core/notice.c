/* notice.c: see notice.h. */
#include "domain/core/notice.h"
#include "base/clock.h"
#include "domain/core/list.h"
#include "domain/tasks/task_priv.h"
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct open_task {
  int64_t id, lead_unit_id, lead_parent_id, owner_unit_id, assignee;
  char title[600], lead_name[320], due[11];
} open_task;

/* "2017-04-30" → "30/04/2017" */
static void vn_date(const char *iso, char out[11])
{
  snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* Inserts one notice unless its key exists; *created grows when it was new. */
static kc_err add_notice(kc_ctx *ctx, const char *key, int64_t task_id, int64_t dossier_id,
                         const char *kind, int64_t account_id, const char *channel,
                         const char *address, const char *subject, const char *body, int *created)
{
  assert(account_id > 0 && *key);
  /* an e-mail or SMS row without its address could never be delivered */
  assert(!strcmp(channel, "inbox") || (address && *address));
  kc_stmt *s;
  kc_err e;
  static const char q[] =
      "INSERT INTO notices (key, task_id, dossier_id, kind, account_id, channel, address, subject, "
      "body, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO "
      "NOTHING";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  kc_stmt_bind_text(s, 1, key, -1);
  if (task_id)
    kc_stmt_bind_i64(s, 2, task_id);
  else
    kc_stmt_bind_null(s, 2);
  if (dossier_id)
    kc_stmt_bind_i64(s, 3, dossier_id);
  else
    kc_stmt_bind_null(s, 3);
  kc_stmt_bind_text(s, 4, kind, -1);
  kc_stmt_bind_i64(s, 5, account_id);
  kc_stmt_bind_text(s, 6, channel, -1);
  kc_stmt_bind_opt_text(s, 7, address);
  kc_stmt_bind_text(s, 8, subject, -1);
  kc_stmt_bind_text(s, 9, body, -1);
  kc_stmt_bind_i64(s, 10, ctx->now);
  /* an inbox notice is delivered by being written */
  if (!strcmp(channel, "inbox"))
    kc_stmt_bind_i64(s, 11, ctx->now);
  else
    kc_stmt_bind_null(s, 11);
  e = kc_stmt_run(s);
  if (e)
    return e;
  *created += (int)kc_stmt_changes(s);
  return KC_OK;
}

kc_err kc_notice_send(kc_ctx *ctx, const kc_prod_rules *rules, const char *sql, int64_t u1,
                      int64_t u2, int64_t assignee, const char *key, int64_t task_id,
                      int64_t dossier_id, const char *kind, const char *subject, const char *body,
                      int *created)
{
  int reached;
  return kc_notice_send_reached(ctx, rules, sql, u1, u2, assignee, key, task_id, dossier_id, kind,
                                subject, body, created, &reached);
}

kc_err kc_notice_send_reached(kc_ctx *ctx, const kc_prod_rules *rules, const char *sql, int64_t u1,
                              int64_t u2, int64_t assignee, const char *key, int64_t task_id,
                              int64_t dossier_id, const char *kind, const char *subject,
                              const char *body, int *created, int *reached)
{
  kc_stmt *s;
  kc_err e;
  bool row;
  e = kc_stmt_query(ctx->conn, sql, &s, KC_I64(u1), KC_I64(u2), KC_I64(assignee));
  if (e)
    return e;
  struct {
    int64_t id;
    const char *email, *phone;
  } to[64];
  size_t n = 0;
  for (e = kc_stmt_step(s, &row); !e && row && n < 64; e = kc_stmt_step(s, &row)) {
    to[n].id = kc_stmt_i64(s, 0);
    to[n].email = kc_stmt_is_null(s, 1) ? NULL : kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
    to[n].phone = kc_stmt_is_null(s, 2) ? NULL : kc_arena_strdup(ctx->arena, kc_stmt_text(s, 2));
    n++;
  }
  kc_stmt_reset(s);
  *reached = (int)n;
  for (size_t i = 0; !e && i < n; i++) {
    const char *k = kc_arena_printf(ctx->arena, "%s:a%" PRId64 ":inbox", key, to[i].id);
    e = add_notice(ctx, k, task_id, dossier_id, kind, to[i].id, "inbox", NULL, subject, body,
                   created);
    if (!e && rules->email && to[i].email) {
      k = kc_arena_printf(ctx->arena, "%s:a%" PRId64 ":email", key, to[i].id);
      e = add_notice(ctx, k, task_id, dossier_id, kind, to[i].id, "email", to[i].email, subject,
                     body, created);
    }
    if (!e && rules->sms && to[i].phone) {
      k = kc_arena_printf(ctx->arena, "%s:a%" PRId64 ":sms", key, to[i].id);
      e = add_notice(ctx, k, task_id, dossier_id, kind, to[i].id, "sms", to[i].phone, subject,
                     subject, created);
    }
  }
  return e;
}

/* The lead unit's staff (heads and officers) and the assigned official's account. */
static const char q_lead[] =
    "SELECT a.id, o.email, o.phone FROM accounts a LEFT JOIN officials o ON o.id = a.official_id "
    "WHERE a.disabled = 0 AND ((a.unit_id = ? AND a.role IN ('unit_head','officer') AND ? >= 0) "
    "OR (a.official_id IS NOT NULL AND a.official_id = ?)) ORDER BY a.id";
/* The heads above: of the lead unit's parent and of the assigning unit (their unit heads,
 * and the leaders when that unit is the city). */
static const char q_above[] =
    "SELECT a.id, o.email, o.phone FROM accounts a LEFT JOIN officials o ON o.id = a.official_id "
    "WHERE a.disabled = 0 AND a.role IN ('unit_head','leader') AND (a.unit_id = ? OR a.unit_id = "
    "?) AND "
    "? >= 0 ORDER BY a.id";

/* Who hears of a notice that reached nobody: the heads of the assigning unit (its leaders when
 * that is the city), or the administrators when that unit has no head either, since they are
 * the ones who can create the missing accounts. */
static const char q_assigner[] =
    "SELECT a.id, o.email, o.phone FROM accounts a LEFT JOIN officials o ON o.id = a.official_id "
    "WHERE a.disabled = 0 AND ((a.role IN ('unit_head','leader') AND a.unit_id = ?) OR (a.role = "
    "'admin' AND NOT EXISTS (SELECT 1 FROM accounts b WHERE b.disabled = 0 AND b.role IN "
    "('unit_head','leader') AND b.unit_id = ?))) AND ? >= 0 ORDER BY a.id";

/* Sends a task's notice to the lead unit; when no account there receives it (a unit nobody
 * has an account in yet), the assigning side is told instead, so the prod does not vanish. */
static kc_err send_to_lead(kc_ctx *ctx, const kc_prod_rules *rules, const open_task *t,
                           const char *key, const char *kind, const char *subject, const char *body,
                           int *created)
{
  int reached = 0;
  kc_err e = kc_notice_send_reached(ctx, rules, q_lead, t->lead_unit_id, 0, t->assignee, key, t->id,
                                    0, kind, subject, body, created, &reached);
  if (e || reached)
    return e;
  /* Once per task and kind, not per period: the assigning side needs to learn that the unit
   * cannot be reached, not to receive every overdue reminder of every such task (a city with
   * a hundred new communes without accounts would bury its leaders). */
  const char *k = kc_arena_printf(ctx->arena, "task:%" PRId64 ":unreached:%s", t->id, kind);
  /* Told already (a notice keyed k:…): every pass meets these tasks again, and one indexed
   * look-up is cheaper than composing the notice for the insert to drop it. */
  static const char q_told[] = "SELECT 1 FROM notices WHERE key >= ? AND key < ? LIMIT 1";
  kc_stmt *s;
  e = kc_stmt_prepare(ctx->conn, q_told, &s);
  if (e)
    return e;
  kc_stmt_bind_vals(s, KC_TXT(kc_arena_printf(ctx->arena, "%s:", k)),
                    KC_TXT(kc_arena_printf(ctx->arena, "%s;", k))); /* ';' follows ':' */
  bool told = false;
  e = kc_stmt_step(s, &told);
  kc_stmt_reset(s);
  if (e || told)
    return e;
  const char *subj = kc_arena_printf(
      ctx->arena, "Không gửi được đến %s (chưa có tài khoản nhận): %s", t->lead_name, subject);
  const char *b = kc_arena_printf(
      ctx->arena,
      "Thông báo dưới đây không đến được ai: %s chưa có tài khoản trưởng đơn vị hoặc cán bộ "
      "nào đang hoạt động trong hệ thống. Đề nghị đơn vị giao việc đôn đốc trực tiếp và đề "
      "nghị quản trị viên cấp tài khoản cho đơn vị.\n\n----\n\n%s",
      t->lead_name, body);
  return kc_notice_send(ctx, rules, q_assigner, t->owner_unit_id, t->owner_unit_id, 0, k, t->id, 0,
                        kind, subj, b, created);
}

/* Plans the notices of one open task for today. */
static kc_err plan_task(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_prod_rules *rules,
                        kc_cal_day today, const open_task *t, int *created)
{
  kc_err e = KC_OK;
  kc_cal_day due;
  if (kc_cal_parse_date(t->due, strlen(t->due), &due))
    return KC_OK;
  char dvn[11];
  vn_date(t->due, dvn);
  const char *link = kc_arena_printf(ctx->arena, "%s/#/tasks/%" PRId64, rules->public_url, t->id);
  int32_t wd = 0;
  if (due >= today) {
    if (kc_cal_count_workdays(cal, today, due, &wd))
      return KC_OK;
    int stage = wd == 0 ? 0 : wd == 1 ? 1 : wd <= 5 ? 5 : -1;
    if (stage < 0)
      return KC_OK;
    const char *key =
        kc_arena_printf(ctx->arena, "task:%" PRId64 ":reminder:%s:%d", t->id, t->due, stage);
    const char *subject =
        wd == 0
            ? kc_arena_printf(ctx->arena, "Hôm nay là hạn hoàn thành: %s", t->title)
            : kc_arena_printf(ctx->arena, "Nhắc hạn: còn %d ngày làm việc — %s", (int)wd, t->title);
    const char *body = kc_arena_printf(
        ctx->arena,
        "Kính gửi %s,\n\nNhiệm vụ \"%s\" có hạn hoàn thành ngày %s (còn %d ngày làm việc).\n"
        "Đề nghị đơn vị cập nhật tiến độ và báo cáo kết quả đúng hạn.\n\nXem nhiệm vụ: %s\n\n"
        "— Hệ thống đôn đốc kycuong",
        t->lead_name, t->title, dvn, (int)wd, link);
    return send_to_lead(ctx, rules, t, key, "reminder", subject, body, created);
  }
  if (kc_cal_count_workdays(cal, due, today, &wd) || wd < 1)
    return KC_OK;
  int every = rules->overdue_every > 0 ? rules->overdue_every : 1;
  {
    /* one notice per period of `every` working days; the key names the period, so a pass
     * that missed the exact day still sends the current period's notice once */
    int k = (wd - 1) / every;
    const char *key =
        kc_arena_printf(ctx->arena, "task:%" PRId64 ":overdue:%s:%d", t->id, t->due, k);
    const char *subject =
        kc_arena_printf(ctx->arena, "Quá hạn %d ngày làm việc: %s", (int)wd, t->title);
    const char *body = kc_arena_printf(
        ctx->arena,
        "Kính gửi %s,\n\nNhiệm vụ \"%s\" đã quá hạn hoàn thành (hạn %s) %d ngày làm việc.\n"
        "Đề nghị đơn vị khẩn trương hoàn thành, báo cáo kết quả hoặc giải trình lý do chậm "
        "muộn.\n\nXem nhiệm vụ: %s\n\n— Hệ thống đôn đốc kycuong",
        t->lead_name, t->title, dvn, (int)wd, link);
    e = send_to_lead(ctx, rules, t, key, "overdue", subject, body, created);
  }
  if (!e && wd >= rules->escalate_after) {
    const char *key = kc_arena_printf(ctx->arena, "task:%" PRId64 ":escalation:%s", t->id, t->due);
    const char *subject = kc_arena_printf(
        ctx->arena, "Báo cáo vượt cấp: %s chưa hoàn thành nhiệm vụ quá hạn %d ngày làm việc",
        t->lead_name, (int)wd);
    const char *body = kc_arena_printf(
        ctx->arena,
        "Nhiệm vụ \"%s\" giao %s, hạn %s, đã quá hạn %d ngày làm việc mà chưa có báo cáo hoàn "
        "thành.\nĐề nghị lãnh đạo đơn vị chỉ đạo, đôn đốc.\n\nXem nhiệm vụ: %s\n\n— Hệ thống "
        "đôn đốc kycuong",
        t->title, t->lead_name, dvn, (int)wd, link);
    e = kc_notice_send(ctx, rules, q_above, t->lead_parent_id, t->owner_unit_id, 0, key, t->id, 0,
                       "escalation", subject, body, created);
  }
  return e;
}

kc_err kc_notice_plan(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_prod_rules *rules,
                      int *created)
{
  *created = 0;
  kc_cal_day today = kc_cal_day_of_instant(ctx->now);
  if (!kc_cal_is_workday(cal, today))
    return KC_OK;
  kc_cal_day horizon;
  if (kc_cal_add_workdays(cal, today, 5, &horizon))
    return kc_ctx_code(ctx, KC_EINTERNAL);
  char hz[16];
  kc_cal_format_date(horizon, hz);
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  static const char q[] =
      "SELECT t.id, t.title, t.due_date, t.lead_unit_id, lu.name, COALESCE(lu.parent_id, 0), "
      "t.owner_unit_id, COALESCE(t.assignee_official_id, 0) FROM tasks t JOIN units lu ON lu.id "
      "= t.lead_unit_id WHERE t.completed_on IS NULL AND t.cancelled_at IS NULL AND t.is_group = "
      "0 AND t.due_date IS NOT NULL AND t.due_date <= ? ORDER BY t.id";
  kc_stmt *s;
  bool row;
  /* Rows are handled as they are read (the notices go to another table), each with its own
   * scratch arena, so a pass over a large backlog stays in bounded memory. */
  kc_arena *saved = ctx->arena;
  kc_arena scratch;
  kc_arena_init(&scratch);
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(hz));
  if (!e) {
    while (!e && !(e = kc_stmt_step(s, &row)) && row) {
      open_task task, *t = &task;
      t->id = kc_stmt_i64(s, 0);
      snprintf(t->title, sizeof t->title, "%s", kc_stmt_text(s, 1));
      snprintf(t->due, sizeof t->due, "%s", kc_stmt_text(s, 2));
      t->lead_unit_id = kc_stmt_i64(s, 3);
      snprintf(t->lead_name, sizeof t->lead_name, "%s", kc_stmt_text(s, 4));
      t->lead_parent_id = kc_stmt_i64(s, 5);
      t->owner_unit_id = kc_stmt_i64(s, 6);
      t->assignee = kc_stmt_i64(s, 7);
      ctx->arena = &scratch;
      e = plan_task(ctx, cal, rules, today, t, created);
      ctx->arena = saved;
      kc_arena_free(&scratch);
    }
    kc_stmt_reset(s);
  }
  return kc_tx_end(ctx, e);
}

kc_err kc_notice_claim(kc_ctx *ctx, const char *channel, int max, kc_outgoing **out, size_t *n)
{
  *out = NULL;
  *n = 0;
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT id, address, subject, body, attempts FROM notices WHERE "
                          "channel = ? AND sent_at IS NULL AND attempts < 5 ORDER BY id LIMIT ?";
  static const char qc[] = "UPDATE notices SET attempts = attempts + 1 WHERE id = ? AND "
                           "sent_at IS NULL AND attempts = ?";
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_outgoing *rows = kc_arena_zalloc(ctx->arena, (size_t)(max > 0 ? max : 1) * sizeof *rows);
  int64_t attempts[256];
  if (max > 256)
    max = 256;
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(channel), KC_I64(max));
  if (!e) {
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
      rows[*n].id = kc_stmt_i64(s, 0);
      rows[*n].address = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
      rows[*n].subject = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 2));
      rows[*n].body = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 3));
      attempts[*n] = kc_stmt_i64(s, 4);
      (*n)++;
    }
    kc_stmt_reset(s);
  }
  size_t kept = 0;
  for (size_t i = 0; !e && i < *n; i++) {
    e = kc_stmt_query(ctx->conn, qc, &s, KC_I64(rows[i].id), KC_I64(attempts[i]));
    if (e)
      break;
    e = kc_stmt_run(s);
    if (!e && kc_stmt_changes(s) == 1)
      rows[kept++] = rows[i];
  }
  *n = kept;
  e = kc_tx_end(ctx, e);
  if (e)
    return e;
  *out = rows;
  return KC_OK;
}

kc_err kc_notice_delivered(kc_ctx *ctx, int64_t id, const char *error)
{
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  static const char ok[] = "UPDATE notices SET sent_at = ?, last_error = NULL WHERE id = ?";
  static const char bad[] = "UPDATE notices SET last_error = ? WHERE id = ?";
  e = kc_stmt_prepare(ctx->conn, error ? bad : ok, &s);
  if (!e) {
    if (error)
      kc_stmt_bind_text(s, 1, error, -1);
    else
      kc_stmt_bind_i64(s, 1, ctx->now);
    kc_stmt_bind_i64(s, 2, id);
    e = kc_stmt_run(s);
  }
  return kc_tx_end(ctx, e);
}

static json_t *notice_json(kc_stmt *s)
{
  char at[32], rd[32];
  kc_time_format_iso(kc_stmt_i64(s, 5), at, sizeof at);
  json_t *o = json_pack("{sI so ss ss ss ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "task_id",
                        kc_stmt_is_null(s, 1) ? json_null() : json_integer(kc_stmt_i64(s, 1)),
                        "kind", kc_stmt_text(s, 2), "subject", kc_stmt_text(s, 3), "body",
                        kc_stmt_text(s, 4), "sent_at", at);
  if (kc_stmt_is_null(s, 6)) {
    json_object_set_new(o, "read_at", json_null());
  } else {
    kc_time_format_iso(kc_stmt_i64(s, 6), rd, sizeof rd);
    json_object_set_new(o, "read_at", json_string(rd));
  }
  return o;
}

enum { NF_ACCOUNT, NF_UNREAD, NF_N };
static const kc_list_filter inbox_filters[NF_N] = {
    [NF_ACCOUNT] = KC_LF(" AND account_id = ?"),
    [NF_UNREAD] = KC_LF(" AND read_at IS NULL"),
};
static kc_list inbox_list = {
    .count_select = "SELECT COUNT(*), SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END)",
    .count_from = " FROM notices WHERE channel = 'inbox'",
    .page_head = "SELECT id, task_id, kind, subject, body, sent_at, read_at, dossier_id FROM "
                 "notices WHERE channel = 'inbox'",
    .filters = inbox_filters,
    .nfilters = NF_N,
    .order = " ORDER BY id DESC",
};

static json_t *inbox_row(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  (void)ctx;
  (void)arg;
  json_t *o = notice_json(s);
  json_object_set_new(o, "dossier_id",
                      kc_stmt_is_null(s, 7) ? json_null() : json_integer(kc_stmt_i64(s, 7)));
  return o;
}

typedef struct inbox_page {
  json_t *arr;
  int64_t unread;
} inbox_page;

static kc_err inbox_add(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  inbox_page *p = arg;
  json_array_append_new(p->arr, inbox_row(ctx, s, NULL));
  return KC_OK;
}

static void inbox_count(kc_stmt *s, void *arg)
{
  ((inbox_page *)arg)->unread = kc_stmt_i64(s, 1);
}

kc_err kc_notice_inbox(kc_ctx *ctx, bool unread_only, int64_t limit, int64_t offset, json_t **out)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  kc_list_query q;
  kc_list_query_init(&q, &inbox_list, limit, offset);
  kc_list_where(&q, NF_ACCOUNT, KC_I64(ctx->actor->account_id));
  if (unread_only)
    kc_list_flag(&q, NF_UNREAD);
  /* The count's row also gives the unread number the bell shows. */
  inbox_page p = {json_array(), 0};
  int64_t total = 0;
  kc_err e = kc_list_run(ctx, &q, inbox_add, inbox_count, &p, &total);
  if (e) {
    json_decref(p.arr);
    return kc_ctx_code(ctx, e);
  }
  *out = json_pack("{so sI sI}", "items", p.arr, "total_count", (json_int_t)total, "unread",
                   (json_int_t)p.unread);
  return KC_OK;
}

kc_err kc_notice_mark_read(kc_ctx *ctx, int64_t id)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  static const char q[] = "UPDATE notices SET read_at = COALESCE(read_at, ?) WHERE id = ? AND "
                          "account_id = ? AND channel = 'inbox'";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_I64(id), KC_I64(ctx->actor->account_id));
  if (!e) {
    e = kc_stmt_run(s);
    if (!e && kc_stmt_changes(s) == 0)
      e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy thông báo");
  }
  return kc_tx_end(ctx, e);
}

kc_err kc_notice_for_task(kc_ctx *ctx, int64_t task_id, json_t **items)
{
  kc_task_row r;
  kc_err e = kc_task__load_visible(ctx, task_id, &r);
  if (e)
    return e;
  json_decref(r.json);
  kc_stmt *s;
  bool row;
  static const char q[] =
      "SELECT n.id, n.task_id, n.kind, n.subject, n.body, n.created_at, "
      "n.read_at, a.username, n.channel, n.sent_at, n.last_error FROM notices n "
      "LEFT JOIN accounts a ON a.id = n.account_id WHERE n.task_id = ? ORDER BY n.id";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(task_id));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    json_t *o = notice_json(s);
    json_object_set_new(o, "recipient", json_string(kc_stmt_text(s, 7)));
    json_object_set_new(o, "channel", json_string(kc_stmt_text(s, 8)));
    json_object_set_new(o, "delivered", json_boolean(!kc_stmt_is_null(s, 9)));
    if (!kc_stmt_is_null(s, 10))
      json_object_set_new(o, "error", json_string(kc_stmt_text(s, 10)));
    json_array_append_new(arr, o);
  }
  kc_stmt_reset(s);
  if (e) {
    json_decref(arr);
    return kc_ctx_code(ctx, e);
  }
  *items = arr;
  return KC_OK;
}
