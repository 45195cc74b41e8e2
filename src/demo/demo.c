/* demo.c: demo and benchmark data, created through the same domain functions the API uses
 * so the demo exercises validation and the audit log. */
#include "demo/demo.h"
#include "domain/org/account.h"
#include "domain/org/official.h"
#include "domain/org/unit.h"
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static kc_err unit_id_by_code(kc_ctx *ctx, const char *code, int64_t *id)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT id FROM units WHERE code = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(code));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    e = row ? (*id = kc_stmt_i64(s, 0), KC_OK) : KC_ENOTFOUND;
  kc_stmt_reset(s);
  return e;
}

kc_err kc_demo_load_units(kc_ctx *ctx, const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return kc_ctx_fail(ctx, KC_EIO, NULL, "Không mở được tệp đơn vị %s: %s", path, strerror(errno));
  char line[2048];
  int lineno = 0;
  kc_err e = KC_OK;
  while (!e && fgets(line, sizeof line, f)) {
    if (++lineno == 1)
      continue; /* header */
    line[strcspn(line, "\r\n")] = 0;
    if (!*line)
      continue;
    char *fields[4] = {0};
    char *p = line;
    for (int i = 0; i < 4; i++) {
      fields[i] = p;
      char *tab = p ? strchr(p, '\t') : NULL;
      if (tab)
        *tab = 0;
      p = tab ? tab + 1 : NULL;
    }
    if (!fields[2]) {
      e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "%s:%d: cần 4 cột (code, name, kind, parent)", path,
                      lineno);
      break;
    }
    kc_unit_in in = {.code = fields[0], .name = fields[1], .kind = fields[2]};
    if (fields[3] && *fields[3] && (e = unit_id_by_code(ctx, fields[3], &in.parent_id))) {
      e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "%s:%d: đơn vị cấp trên '%s' chưa có", path, lineno,
                      fields[3]);
      break;
    }
    json_t *u = NULL;
    e = kc_unit_create(ctx, &in, &u);
    json_decref(u);
    if (e)
      e = kc_ctx_fail(ctx, e, ctx->err_field, "%s:%d: %s", path, lineno,
                      ctx->err_message ? ctx->err_message : kc_err_message(e));
  }
  fclose(f);
  return e;
}

static const char *const surnames[] = {"Nguyễn", "Trần", "Lê",   "Phạm", "Hoàng", "Huỳnh", "Phan",
                                       "Vũ",     "Võ",   "Đặng", "Bùi",  "Đỗ",    "Hồ",    "Ngô",
                                       "Dương",  "Lý",   "Đào",  "Đinh", "Trịnh", "Mai"};
static const char *const middles[] = {"Văn",  "Thị",   "Hữu",   "Đức",  "Minh", "Thu",
                                      "Ngọc", "Quang", "Thanh", "Hồng", "Xuân", "Kim"};
static const char *const givens[] = {
    "An",    "Bình", "Cường", "Dũng",  "Đông",   "Giang", "Hà",    "Hải",  "Hạnh", "Hằng",
    "Hiếu",  "Hoa",  "Hùng",  "Hương", "Khánh",  "Lan",   "Linh",  "Long", "Mai",  "Minh",
    "Nam",   "Nga",  "Ngọc",  "Phong", "Phương", "Quân",  "Quỳnh", "Sơn",  "Tâm",  "Thảo",
    "Thắng", "Thủy", "Trang", "Trung", "Tuấn",   "Tú",    "Vân",   "Việt", "Yến",  "Ánh"};
static const char *const positions[] = {
    "Chuyên viên", "Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng",
    "Văn thư",     "Kế toán",           "Cán sự",           "Phó Chánh Văn phòng"};

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* A deterministic pseudo-random sequence (xorshift), so demo data is the same every time. */
static uint32_t next_rand(uint32_t *st)
{
  uint32_t x = *st;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *st = x;
}

static kc_err make_official(kc_ctx *ctx, int64_t unit_id, uint32_t *rng, json_t **out)
{
  char name[128], since[16], email[64];
  const char *sn = surnames[next_rand(rng) % NELEM(surnames)];
  const char *mid = middles[next_rand(rng) % NELEM(middles)];
  const char *gv = givens[next_rand(rng) % NELEM(givens)];
  snprintf(name, sizeof name, "%s %s %s", sn, mid, gv);
  snprintf(since, sizeof since, "%04u-%02u-%02u", 2005 + next_rand(rng) % 12,
           1 + next_rand(rng) % 12, 1 + next_rand(rng) % 28);
  snprintf(email, sizeof email, "canbo%u@hanoi.gov.vn", next_rand(rng) % 1000000);
  kc_official_in in = {.unit_id = unit_id,
                       .full_name = name,
                       .position = positions[next_rand(rng) % NELEM(positions)],
                       .position_since = since,
                       .email = email};
  return kc_official_create(ctx, &in, out);
}

static kc_err unit_ids(kc_ctx *ctx, int64_t **ids, size_t *n)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT id FROM units ORDER BY id";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  size_t cap = 64;
  *n = 0;
  *ids = kc_xmalloc(cap * sizeof **ids);
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    if (*n == cap)
      *ids = kc_xrealloc(*ids, (cap *= 2) * sizeof **ids);
    (*ids)[(*n)++] = kc_stmt_i64(s, 0);
  }
  kc_stmt_reset(s);
  return e;
}

kc_err kc_demo_officials(kc_ctx *ctx, int per_unit)
{
  int64_t *ids;
  size_t n;
  kc_err e = unit_ids(ctx, &ids, &n);
  uint32_t rng = 2017;
  for (size_t i = 0; !e && i < n; i++)
    for (int k = 0; !e && k < per_unit; k++) {
      json_t *o = NULL;
      e = make_official(ctx, ids[i], &rng, &o);
      json_decref(o);
    }
  free(ids);
  return e;
}

kc_err kc_demo_many_officials(kc_ctx *ctx, int64_t count, FILE *progress)
{
  int64_t *ids;
  size_t n;
  kc_err e = unit_ids(ctx, &ids, &n);
  uint32_t rng = 69;
  for (int64_t i = 0; !e && i < count; i++) {
    json_t *o = NULL;
    e = make_official(ctx, ids[(size_t)i % n], &rng, &o);
    json_decref(o);
    kc_arena_free(ctx->arena);
    if (progress && ((i + 1) % 1000 == 0 || i + 1 == count)) {
      fprintf(progress, "\rtạo cán bộ: %" PRId64 "/%" PRId64 " (%d%%)", i + 1, count,
              (int)((i + 1) * 100 / count));
      fflush(progress);
    }
  }
  if (progress && count)
    fputc('\n', progress);
  free(ids);
  return e;
}

kc_err kc_demo_accounts(kc_ctx *ctx, const char *admin_password, const char *demo_password,
                        bool with_role_accounts)
{
  /* Each demo account but the citizen's is a person of the registry, so receipts, slips and
   * histories show a name and a position, as they do in use. */
  static const struct {
    const char *username, *role, *unit, *name, *position;
  } demo[] = {
      {"canbo", "officer", "HN-D01", "Lê Minh Tuấn", "Chuyên viên"},
      {"motcua", "desk", "HN-D01", "Phạm Thu Hà", "Công chức Bộ phận Một cửa"},
      {"truongdv", "unit_head", "HN-D01", "Đặng Văn Hùng", "Chủ tịch UBND quận"},
      {"truongdv2", "unit_head", "HN-D02", "Trần Thị Lan", "Chủ tịch UBND quận"},
      {"giamsat", "supervisor", "HN-S02", "Vũ Đức Thắng", "Thanh tra viên"},
      {"lanhdao", "leader", "HN", "Nguyễn Quang Minh", "Phó Chủ tịch UBND Thành phố"},
      {"congdan", "public", "HN", NULL, NULL},
  };
  int64_t city;
  kc_err e = unit_id_by_code(ctx, "HN", &city);
  if (e)
    return kc_ctx_fail(ctx, e, NULL, "Chưa có đơn vị gốc HN để gắn tài khoản quản trị");
  kc_account_in admin = {.username = "admin",
                         .password = admin_password,
                         .role = "admin",
                         .unit_id = city,
                         .disabled = -1};
  json_t *j = NULL;
  e = kc_account_create(ctx, &admin, &j);
  if (e)
    return e;
  json_decref(j);
  for (size_t i = 0; with_role_accounts && i < NELEM(demo); i++) {
    kc_account_in in = {.username = demo[i].username,
                        .password = demo_password,
                        .role = demo[i].role,
                        .disabled = -1};
    e = unit_id_by_code(ctx, demo[i].unit, &in.unit_id);
    if (e)
      return kc_ctx_fail(ctx, e, NULL, "Thiếu đơn vị %s cho tài khoản mẫu", demo[i].unit);
    if (demo[i].name) {
      kc_official_in o = {.unit_id = in.unit_id,
                          .full_name = demo[i].name,
                          .position = demo[i].position,
                          .position_since = "2016-07-01"};
      e = kc_official_create(ctx, &o, &j);
      if (e)
        return e;
      in.official_id = json_integer_value(json_object_get(j, "id"));
      json_decref(j);
    }
    e = kc_account_create(ctx, &in, &j);
    if (e)
      return e;
    json_decref(j);
  }
  return KC_OK;
}
