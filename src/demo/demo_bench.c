/* demo_bench.c: generated load for the task benchmarks (see demo.h). Rows are inserted
 * directly, in batches, because a benchmark needs 200,000 tasks in seconds; nothing here
 * is a user's change, so nothing is audited. */
#include "base/clock.h"
#include "demo/demo.h"
#include "domain/core/text.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static uint32_t next(uint32_t *st)
{
  uint32_t x = *st;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *st = x;
}

typedef struct unit_ref {
  int64_t id;
  char path[64];
} unit_ref;

static kc_err load_units(kc_ctx *ctx, unit_ref **out, size_t *n, const char *kind)
{
  static const char q[] = "SELECT id, path FROM units WHERE (? = '' OR kind = ?) ORDER BY id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(kind), KC_TXT(kind));
  if (e)
    return e;
  size_t cap = 0;
  *n = 0;
  *out = NULL;
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    if (*n == cap)
      *out = kc_xrealloc(*out, (cap = cap ? cap * 2 : 128) * sizeof **out);
    (*out)[*n].id = kc_stmt_i64(s, 0);
    snprintf((*out)[*n].path, sizeof(*out)[*n].path, "%s", kc_stmt_text(s, 1));
    (*n)++;
  }
  kc_stmt_reset(s);
  return e;
}

static kc_err add_communes(kc_ctx *ctx, int want)
{
  unit_ref *all, *districts;
  size_t na, nd;
  kc_err e = load_units(ctx, &all, &na, "");
  if (!e)
    e = load_units(ctx, &districts, &nd, "district");
  free(all);
  if (e || nd == 0 || (int)na >= want) {
    if (!e)
      free(districts);
    return e;
  }
  static const char qi[] = "INSERT INTO units (code, name, name_fold, name_sort, kind, parent_id, "
                           "path, depth, created_at, updated_at) VALUES (?, ?, ?, ?, 'commune', "
                           "?, '', 2, ?, ?) RETURNING id";
  static const char qp[] = "UPDATE units SET path = ? WHERE id = ?";
  e = kc_tx_begin(ctx);
  if (e) {
    free(districts);
    return e;
  }
  for (int i = (int)na; !e && i < want; i++) {
    unit_ref *d = &districts[(size_t)i % nd];
    char code[32], name[64];
    snprintf(code, sizeof code, "BENCH-X%04d", i);
    snprintf(name, sizeof name, "UBND phường Thử nghiệm %d", i);
    kc_stmt *s;
    bool row;
    int64_t id = 0;
    e = kc_stmt_query(ctx->conn, qi, &s, KC_TXT(code), KC_TXT(name),
                      KC_TXT(kc_text_fold(ctx->arena, name)),
                      KC_TXT(kc_text_sortkey(ctx->arena, name)), KC_I64(d->id), KC_I64(ctx->now),
                      KC_I64(ctx->now));
    if (e)
      break;
    e = kc_stmt_step(s, &row);
    if (!e && row)
      id = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
    if (!e)
      e = kc_stmt_query(ctx->conn, qp, &s,
                        KC_TXT(kc_arena_printf(ctx->arena, "%s%" PRId64 "/", d->path, id)),
                        KC_I64(id));
    if (!e) {
      e = kc_stmt_run(s);
    }
  }
  free(districts);
  return kc_tx_end(ctx, e);
}

kc_err kc_demo_many_tasks(kc_ctx *ctx, int units, int64_t count, FILE *progress)
{
  kc_err e = add_communes(ctx, units);
  unit_ref *u;
  size_t nu;
  if (e || (e = load_units(ctx, &u, &nu, "")))
    return e;
  static const char qi[] =
      "INSERT INTO tasks (owner_unit_id, owner_unit_path, lead_unit_id, lead_unit_path, title, "
      "title_fold, due_date, original_due_date, completed_on, completion_evidence, cancelled_at, "
      "progress, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static const char *const verbs[] = {"Rà soát",  "Báo cáo",    "Kiểm tra",  "Tổng hợp",
                                      "Xây dựng", "Triển khai", "Công khai", "Đánh giá"};
  static const char *const objects[] = {
      "thủ tục hành chính",           "quy chế làm việc",
      "kế hoạch cải cách hành chính", "vị trí việc làm",
      "kỷ luật, kỷ cương hành chính", "văn bản quy phạm pháp luật",
      "kết quả giải quyết hồ sơ",     "phản ánh, kiến nghị"};
  uint32_t rng = 200000;
  int64_t base = 0;
  if (kc_time_parse_iso("2017-01-01", &base))
    return KC_EINTERNAL;
  const int64_t batch = 5000;
  for (int64_t done = 0; !e && done < count; done += batch) {
    e = kc_tx_begin(ctx);
    if (e)
      break;
    for (int64_t i = done; !e && i < count && i < done + batch; i++) {
      unit_ref *lead = &u[next(&rng) % nu];
      int64_t due_t = base + (int64_t)(next(&rng) % 730) * 86400;
      char due[11], on[11], title[200];
      kc_time_format_date(due_t, due, sizeof due);
      snprintf(title, sizeof title, "%s %s năm %d (%" PRId64 ")", verbs[next(&rng) % 8],
               objects[next(&rng) % 8], 2017 + (int)((due_t - base) / (365 * 86400)), i + 1);
      uint32_t r = next(&rng) % 100;
      kc_stmt *s;
      e = kc_stmt_prepare(ctx->conn, qi, &s);
      if (e)
        break;
      kc_stmt_bind_i64(s, 1, u[0].id);
      kc_stmt_bind_text(s, 2, u[0].path, -1);
      kc_stmt_bind_i64(s, 3, lead->id);
      kc_stmt_bind_text(s, 4, lead->path, -1);
      kc_stmt_bind_text(s, 5, title, -1);
      kc_stmt_bind_text(s, 6, kc_text_fold(ctx->arena, title), -1);
      kc_stmt_bind_text(s, 7, due, -1);
      kc_stmt_bind_text(s, 8, due, -1);
      if (r < 60 && due_t < ctx->now) {
        int64_t d = due_t + ((int64_t)(next(&rng) % 15) - (r < 45 ? 14 : -1)) * 86400;
        kc_time_format_date(d, on, sizeof on);
        kc_stmt_bind_text(s, 9, on, -1);
        kc_stmt_bind_text(s, 10, "Báo cáo kết quả", -1);
      } else {
        kc_stmt_bind_null(s, 9);
        kc_stmt_bind_null(s, 10);
      }
      if (r >= 97)
        kc_stmt_bind_i64(s, 11, ctx->now);
      else
        kc_stmt_bind_null(s, 11);
      kc_stmt_bind_i64(s, 12, r < 60 ? 100 : (int64_t)(r % 10) * 10);
      kc_stmt_bind_i64(s, 13, ctx->now);
      kc_stmt_bind_i64(s, 14, ctx->now);
      e = kc_stmt_run(s);
    }
    e = kc_tx_end(ctx, e);
    kc_arena_free(ctx->arena);
    if (progress) {
      int64_t n = done + batch < count ? done + batch : count;
      fprintf(progress, "\rtạo nhiệm vụ: %" PRId64 "/%" PRId64 " (%d%%)", n, count,
              (int)(n * 100 / count));
      fflush(progress);
    }
  }
  if (progress && count)
    fputc('\n', progress);
  free(u);
  return e;
}
