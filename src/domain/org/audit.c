/* audit.c: the hash-chained audit log. The chain's head (last id and hash) lives in the
 * one-row table audit_head; reading and updating it inside the write transaction makes ids
 * contiguous and serialises writers on both backends. */
#include "domain/org/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "domain/core/access.h"
#include "domain/core/list.h"
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The text that is hashed. Fields are separated by '\x1f' (unit separator), which cannot
 * appear in compact JSON or in the other fields, so no two records share a preimage. */
void kc_audit_hash(kc_arena *ar, const kc_audit_record *r, char out[KC_SHA256_HEX])
{
  char *pre =
      kc_arena_printf(ar,
                      "%s\x1f%" PRId64 "\x1f%" PRId64 "\x1f%" PRId64
                      "\x1f%s\x1f%s\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s",
                      r->prev_hash, r->id, r->at, r->actor_id, r->actor, r->action, r->entity,
                      r->entity_id, r->before ? r->before : "", r->after ? r->after : "");
  kc_crypto_sha256_hex(pre, strlen(pre), out);
}

static char *dump(kc_arena *ar, json_t *j)
{
  if (!j)
    return NULL;
  char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
  if (!s)
    return NULL;
  char *r = kc_arena_strdup(ar, s);
  free(s);
  return r;
}

kc_err kc_audit_write(kc_ctx *ctx, const char *action, const char *entity, int64_t entity_id,
                      json_t *before, json_t *after)
{
  kc_stmt *s;
  kc_err e;
  bool row;
  /* The head and its record's time: a record is never dated before its predecessor. The
   * request's clock (ctx->now) was read when it began; another request that began later can
   * take the head first (two servers, or a slow request), and its record is then the
   * predecessor. The chain's order is the order of writing, so the record takes the later
   * time: seconds at most, and `audit verify` can hold every chain to times that never go
   * backwards. */
  static const char q_head[] = "SELECT h.last_id, h.last_hash, COALESCE((SELECT l.at FROM "
                               "audit_log l WHERE l.id = h.last_id), 0) FROM audit_head h "
                               "WHERE h.id = 1";
  e = kc_stmt_prepare(ctx->conn, q_head, &s);
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (e)
    return e;
  if (!row)
    return KC_EINTERNAL;
  int64_t id = kc_stmt_i64(s, 0) + 1;
  char *prev = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
  int64_t prev_at = kc_stmt_i64(s, 2);
  kc_stmt_reset(s);
  int64_t at = ctx->now > prev_at ? ctx->now : prev_at;
  /* The record belongs to the change it describes: written inside that change's transaction,
   * which also holds the head's lock (kc_tx_begin), so ids stay contiguous. */
  assert(kc_conn_in_tx(ctx->conn));
  assert(strlen(prev) == KC_SHA256_HEX - 1);

  const kc_actor *a = ctx->actor;
  int64_t actor_id = a ? a->account_id : 0;
  const char *actor = a ? a->username : "system";
  char *b = dump(ctx->arena, before), *af = dump(ctx->arena, after);
  char hash[KC_SHA256_HEX];
  kc_audit_hash(ctx->arena,
                &(kc_audit_record){.id = id,
                                   .at = at,
                                   .actor_id = actor_id,
                                   .actor = actor,
                                   .action = action,
                                   .entity = entity,
                                   .entity_id = entity_id,
                                   .before = b,
                                   .after = af,
                                   .prev_hash = prev},
                hash);

  static const char q_ins[] =
      "INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, "
      "before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  e = kc_stmt_prepare(ctx->conn, q_ins, &s);
  if (e)
    return e;
  kc_stmt_bind_i64(s, 1, id);
  kc_stmt_bind_i64(s, 2, at);
  if (actor_id)
    kc_stmt_bind_i64(s, 3, actor_id);
  else
    kc_stmt_bind_null(s, 3);
  kc_stmt_bind_text(s, 4, actor, -1);
  kc_stmt_bind_text(s, 5, action, -1);
  kc_stmt_bind_text(s, 6, entity, -1);
  kc_stmt_bind_i64(s, 7, entity_id);
  kc_stmt_bind_opt_text(s, 8, b);
  kc_stmt_bind_opt_text(s, 9, af);
  kc_stmt_bind_text(s, 10, prev, -1);
  kc_stmt_bind_text(s, 11, hash, -1);
  e = kc_stmt_run(s);
  if (e)
    return e == KC_ECONFLICT ? KC_EINTERNAL : e;

  static const char q_upd[] = "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1";
  e = kc_stmt_query(ctx->conn, q_upd, &s, KC_I64(id), KC_TXT(hash));
  if (e)
    return e;
  return kc_stmt_run(s);
}

static json_t *parse_or_null(const char *s)
{
  if (!s || !*s)
    return json_null();
  json_t *j = json_loads(s, 0, NULL);
  return j ? j : json_string(s);
}

enum { AF_ENTITY, AF_ENTITY_ID, AF_N };
static const kc_list_filter audit_filters[AF_N] = {
    [AF_ENTITY] = KC_LF_TEXT(kc_audit_filter, entity, " AND entity = ?"),
    [AF_ENTITY_ID] = KC_LF_ID(kc_audit_filter, entity_id, " AND entity_id = ?"),
};
static kc_list audit_list =
    KC_LIST(" FROM audit_log WHERE 1 = 1",
            "SELECT id, at, actor_id, actor, action, entity, entity_id, before_json, after_json, "
            "hash FROM audit_log WHERE 1 = 1",
            audit_filters, " ORDER BY id DESC");

static json_t *list_row(kc_stmt *s)
{
  char at[32];
  kc_time_format_iso(kc_stmt_i64(s, 1), at, sizeof at);
  return json_pack(
      "{sI ss so ss ss ss so so so ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "at", at, "actor_id",
      kc_stmt_is_null(s, 2) ? json_null() : json_integer(kc_stmt_i64(s, 2)), "actor",
      kc_stmt_text(s, 3), "action", kc_stmt_text(s, 4), "entity", kc_stmt_text(s, 5), "entity_id",
      json_integer(kc_stmt_i64(s, 6)), "before", parse_or_null(kc_stmt_text(s, 7)), "after",
      parse_or_null(kc_stmt_text(s, 8)), "hash", kc_stmt_text(s, 9));
}

kc_err kc_audit_list(kc_ctx *ctx, const kc_audit_filter *f, json_t **items, int64_t *total)
{
  *items = NULL;
  if (!kc_actor_in(ctx->actor, KC_RS_AUDIT_READ))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Chỉ giám sát viên và quản trị viên được xem nhật ký thay đổi");
  kc_list_query q;
  kc_list_query_init(&q, &audit_list, f->limit, f->offset);
  kc_list_from(&q, f);
  kc_err e = kc_list_json_rows(ctx, &q, list_row, items, total);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

kc_err kc_audit_verify(kc_conn *conn, int64_t *checked, int64_t *bad_id, char *msg, size_t cap,
                       FILE *progress)
{
  *checked = 0;
  *bad_id = 0;
  kc_stmt *s;
  kc_err e;
  bool row;
  static const char q[] = "SELECT id, at, COALESCE(actor_id, 0), actor, action, entity, "
                          "entity_id, before_json, after_json, prev_hash, hash "
                          "FROM audit_log ORDER BY id";
  e = kc_stmt_prepare(conn, q, &s);
  if (e)
    return e;
  char prev[KC_SHA256_HEX];
  memset(prev, '0', 64);
  prev[64] = 0;
  int64_t expect_id = 1, prev_at = INT64_MIN;
  kc_arena ar;
  kc_arena_init(&ar);
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    int64_t id = kc_stmt_i64(s, 0);
    const char *before = kc_stmt_is_null(s, 7) ? NULL : kc_stmt_text(s, 7);
    before = before ? kc_arena_strdup(&ar, before) : NULL;
    const char *after = kc_stmt_is_null(s, 8) ? NULL : kc_stmt_text(s, 8);
    after = after ? kc_arena_strdup(&ar, after) : NULL;
    char hash[KC_SHA256_HEX];
    kc_audit_hash(&ar,
                  &(kc_audit_record){.id = id,
                                     .at = kc_stmt_i64(s, 1),
                                     .actor_id = kc_stmt_i64(s, 2),
                                     .actor = kc_stmt_text(s, 3),
                                     .action = kc_stmt_text(s, 4),
                                     .entity = kc_stmt_text(s, 5),
                                     .entity_id = kc_stmt_i64(s, 6),
                                     .before = before,
                                     .after = after,
                                     .prev_hash = prev},
                  hash);
    if (id != expect_id) {
      *bad_id = expect_id;
      snprintf(msg, cap, "record %" PRId64 " is missing (next present: %" PRId64 ")", expect_id,
               id);
    } else if (strcmp(prev, kc_stmt_text(s, 9))) {
      *bad_id = id;
      snprintf(msg, cap, "record %" PRId64 ": prev_hash does not match record %" PRId64, id,
               id - 1);
    } else if (strcmp(hash, kc_stmt_text(s, 10))) {
      *bad_id = id;
      snprintf(msg, cap, "record %" PRId64 ": content does not match its hash", id);
    } else if (kc_stmt_i64(s, 1) < prev_at) {
      /* Records are written in id order inside the transaction that holds the chain's head,
       * each dated no earlier than its predecessor (kc_audit_write), so a later record dated
       * earlier was written by something else: records rewritten with a consistent chain. */
      *bad_id = id;
      char a[32], b[32];
      kc_time_format_iso(kc_stmt_i64(s, 1), a, sizeof a);
      kc_time_format_iso(prev_at, b, sizeof b);
      snprintf(msg, cap, "record %" PRId64 " is dated %s, before record %" PRId64 " (%s)", id, a,
               id - 1, b);
    }
    if (*bad_id)
      break;
    memcpy(prev, hash, sizeof prev);
    prev_at = kc_stmt_i64(s, 1);
    expect_id++;
    (*checked)++;
    kc_arena_free(&ar);
    if (progress && *checked % 100000 == 0)
      fprintf(progress, "\rkiểm tra nhật ký: %" PRId64 " bản ghi", *checked), fflush(progress);
  }
  kc_stmt_reset(s);
  kc_arena_free(&ar);
  if (progress && *checked >= 100000)
    fputc('\n', progress);
  if (e)
    return e;
  if (*bad_id)
    return KC_ECONFLICT;
  /* The head must point at the last record: a deleted tail shows up here. */
  static const char qh[] = "SELECT last_id, last_hash FROM audit_head WHERE id = 1";
  e = kc_stmt_prepare(conn, qh, &s);
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (e)
    return e;
  if (row && (kc_stmt_i64(s, 0) != expect_id - 1 || strcmp(kc_stmt_text(s, 1), prev))) {
    *bad_id = expect_id;
    snprintf(msg, cap,
             "the chain ends at record %" PRId64 " but its head names record %" PRId64
             " (records were deleted)",
             expect_id - 1, kc_stmt_i64(s, 0));
    e = KC_ECONFLICT;
  }
  kc_stmt_reset(s);
  return e;
}
