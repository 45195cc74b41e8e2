/* demo_bench_onestop.c: generated load for the one-stop benchmarks (see demo.h). A million
 * dossiers in a few minutes: the lives of the dossiers are simulated in memory on the
 * working-day calendar (the same clock functions the domain uses: kc_limit_due,
 * kc_limit_result, the calendar's working-day arithmetic) and written directly, many rows per
 * statement, in big transactions, in the order they were received. The per-day counters and
 * the code sequences the transitions would have kept are summed in memory and written at the
 * end. Nothing here is anyone's change, so rows are not audited one by one; one summary
 * record says what was generated. */
#include "base/clock.h"
#include "demo/demo.h"
#include "domain/core/text.h"
#include "domain/core/workcal.h"
#include "domain/onestop/onestop.h"
#include "domain/onestop/procedure.h"
#include "domain/org/audit.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- randomness ---- */

static uint64_t rng_next(uint64_t *st)
{
  uint64_t x = *st;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return *st = x;
}

static int rnd(uint64_t *st, int n)
{
  return n > 0 ? (int)((rng_next(st) >> 11) % (uint64_t)n) : 0;
}

/* ---- batched inserts: many rows per statement ---- */

#define V(n) "(" n ")"
#define X2(r) r ", " r
#define X4(r) X2(X2(r))
#define X8(r) X2(X4(r))
#define X16(r) X2(X8(r))
#define X32(r) X2(X16(r))
#define X64(r) X2(X32(r))

#define P4 "?, ?, ?, ?"
#define P5 P4 ", ?"
#define P6 P5 ", ?"
#define P7 P6 ", ?"
#define P10 P5 ", " P5
#define P12 P10 ", ?, ?"
#define P43 P10 ", " P10 ", " P10 ", " P10 ", ?, ?, ?"

#define D_INS                                                                                      \
  "INSERT INTO dossiers (id, code, procedure_id, rule_id, unit_id, unit_path, holder_unit_id, "    \
  "holder_path, assignee_official_id, channel, applicant_name, applicant_fold, "                   \
  "applicant_id_number, applicant_phone, applicant_email, applicant_address, components, "         \
  "limit_amount, limit_kind, cutoff_minute, received_at, received_day, received_by, clock_from, "  \
  "days_left, original_due_date, due_date, due_at, apology_from, status, open, reschedules, "      \
  "apologies, result, resolved_at, resolved_day, work_days, returned_at, closed_at, "              \
  "close_reason, version, created_at, updated_at) VALUES "
#define S_INS                                                                                      \
  "INSERT INTO dossier_steps (dossier_id, seq, name, unit_id, official_id, given_by, "             \
  "received_by, started_at, due_at, ended_at, result, note) VALUES "
#define E_INS "INSERT INTO dossier_events (dossier_id, at, kind, account_id, unit_id, note) VALUES "
#define A_INS                                                                                      \
  "INSERT INTO dossier_apologies (dossier_id, seq, issued_at, issued_by, reason, old_due_date, "   \
  "new_due_date) VALUES "
#define U_INS                                                                                      \
  "INSERT INTO dossier_supplements (dossier_id, seq, requested_at, requested_by, reason, items) "  \
  "VALUES "
#define DELTA_COLS                                                                                 \
  "received, early, on_time, late, work_days, returned, refused, withdrawn, apologies, "           \
  "late_unapologised"
#define DELTA_SET(t)                                                                               \
  " DO UPDATE SET received = " t ".received + excluded.received, early = " t                       \
  ".early + excluded.early, on_time = " t ".on_time + excluded.on_time, late = " t                 \
  ".late + excluded.late, work_days = " t ".work_days + excluded.work_days, returned = " t         \
  ".returned + excluded.returned, refused = " t ".refused + excluded.refused, withdrawn = " t      \
  ".withdrawn + excluded.withdrawn, apologies = " t ".apologies + excluded.apologies, "            \
  "late_unapologised = " t ".late_unapologised + excluded.late_unapologised"
#define CU_INS "INSERT INTO dossier_unit_days (unit_id, day, " DELTA_COLS ") VALUES "
#define CU_TAIL " ON CONFLICT (unit_id, day)" DELTA_SET("dossier_unit_days")
#define CP_INS "INSERT INTO dossier_procedure_days (procedure_id, day, " DELTA_COLS ") VALUES "
#define CP_TAIL " ON CONFLICT (procedure_id, day)" DELTA_SET("dossier_procedure_days")
#define Q_INS "INSERT INTO dossier_seq (unit_id, day, last) VALUES "
#define Q_TAIL " ON CONFLICT (unit_id, day) DO UPDATE SET last = excluded.last"

static const char d_one[] = D_INS V(P43), d_many[] = D_INS X32(V(P43));
static const char s_one[] = S_INS V(P12), s_many[] = S_INS X64(V(P12));
static const char e_one[] = E_INS V(P6), e_many[] = E_INS X64(X2(V(P6)));
static const char a_one[] = A_INS V(P7), a_many[] = A_INS X32(V(P7));
static const char u_one[] = U_INS V(P6), u_many[] = U_INS X16(V(P6));
static const char cu_one[] = CU_INS V(P12) CU_TAIL, cu_many[] = CU_INS X64(V(P12)) CU_TAIL;
static const char cp_one[] = CP_INS V(P12) CP_TAIL, cp_many[] = CP_INS X64(V(P12)) CP_TAIL;
static const char q_one[] = Q_INS V("?, ?, ?") Q_TAIL,
                  q_many[] = Q_INS X64(X2(V("?, ?, ?"))) Q_TAIL;

enum { VNULL, VINT, VTEXT };
typedef struct val {
  int64_t i;
  const char *s; /* text: static, or in the batch's transaction arena */
  int kind;
} val;

typedef struct batch {
  const char *one, *many;
  int cols, k; /* columns per row, rows per `many` statement */
  val *v;
  size_t n, cap; /* rows */
  int64_t rows;  /* written in all */
} batch;

static val *row_add(batch *b)
{
  if (b->n == b->cap)
    b->v = kc_xrealloc(b->v, (b->cap = b->cap ? b->cap * 2 : 4 * (size_t)b->k) * (size_t)b->cols *
                                 sizeof *b->v);
  return &b->v[b->n++ * (size_t)b->cols];
}

static void put_i(val *v, int64_t i)
{
  v->kind = VINT;
  v->i = i;
}
static void put_s(val *v, const char *s)
{
  v->kind = s ? VTEXT : VNULL;
  v->s = s;
}
static void put_null(val *v)
{
  v->kind = VNULL;
}
/* 0 as NULL (optional references) */
static void put_ref(val *v, int64_t i)
{
  if (i)
    put_i(v, i);
  else
    put_null(v);
}

/* Writes full statements of k rows; with `all`, the rest one row at a time. */
static kc_err flush(kc_conn *c, batch *b, bool all)
{
  size_t done = 0;
  kc_err e = KC_OK;
  while (!e && b->n - done >= (size_t)b->k) {
    kc_stmt *s;
    e = kc_stmt_prepare(c, b->many, &s);
    if (e)
      break;
    const val *v = &b->v[done * (size_t)b->cols];
    for (int i = 0; i < b->k * b->cols; i++) {
      if (v[i].kind == VINT)
        kc_stmt_bind_i64(s, i + 1, v[i].i);
      else if (v[i].kind == VTEXT)
        kc_stmt_bind_text(s, i + 1, v[i].s, -1);
      else
        kc_stmt_bind_null(s, i + 1);
    }
    e = kc_stmt_run(s);
    done += (size_t)b->k;
  }
  while (!e && all && done < b->n) {
    kc_stmt *s;
    e = kc_stmt_prepare(c, b->one, &s);
    if (e)
      break;
    const val *v = &b->v[done * (size_t)b->cols];
    for (int i = 0; i < b->cols; i++) {
      if (v[i].kind == VINT)
        kc_stmt_bind_i64(s, i + 1, v[i].i);
      else if (v[i].kind == VTEXT)
        kc_stmt_bind_text(s, i + 1, v[i].s, -1);
      else
        kc_stmt_bind_null(s, i + 1);
    }
    e = kc_stmt_run(s);
    done++;
  }
  if (!e) {
    b->rows += (int64_t)done;
    memmove(b->v, &b->v[done * (size_t)b->cols], (b->n - done) * (size_t)b->cols * sizeof *b->v);
    b->n -= done;
  }
  return e;
}

/* ---- units ---- */

typedef struct unit {
  int64_t id, parent_id;
  int depth;
  char code[32], kind[16], path[64], name[128];
} unit;

typedef struct units {
  unit *u;
  size_t n;
  int64_t max_id;
  int *by_id; /* id → index, -1 when none */
} units;

static void units_free(units *us)
{
  free(us->u);
  free(us->by_id);
  memset(us, 0, sizeof *us);
}

static kc_err units_load(kc_ctx *ctx, units *us)
{
  static const char q[] =
      "SELECT id, COALESCE(parent_id, 0), depth, code, kind, path, name FROM units ORDER BY id";
  kc_stmt *s;
  bool row;
  size_t cap = 0;
  units_free(us);
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  while (!e && !(e = kc_stmt_step(s, &row)) && row) {
    if (us->n == cap)
      us->u = kc_xrealloc(us->u, (cap = cap ? cap * 2 : 256) * sizeof *us->u);
    unit *x = &us->u[us->n++];
    x->id = kc_stmt_i64(s, 0);
    x->parent_id = kc_stmt_i64(s, 1);
    x->depth = (int)kc_stmt_i64(s, 2);
    snprintf(x->code, sizeof x->code, "%s", kc_stmt_text(s, 3));
    snprintf(x->kind, sizeof x->kind, "%s", kc_stmt_text(s, 4));
    snprintf(x->path, sizeof x->path, "%s", kc_stmt_text(s, 5));
    snprintf(x->name, sizeof x->name, "%s", kc_stmt_text(s, 6));
    if (x->id > us->max_id)
      us->max_id = x->id;
  }
  if (!e)
    kc_stmt_reset(s);
  if (e)
    return e;
  us->by_id = kc_xmalloc(((size_t)us->max_id + 1) * sizeof *us->by_id);
  for (int64_t i = 0; i <= us->max_id; i++)
    us->by_id[i] = -1;
  for (size_t i = 0; i < us->n; i++)
    us->by_id[us->u[i].id] = (int)i;
  return KC_OK;
}

static const unit *unit_by_code(const units *us, const char *code)
{
  for (size_t i = 0; i < us->n; i++)
    if (!strcmp(us->u[i].code, code))
      return &us->u[i];
  return NULL;
}

static kc_err unit_insert(kc_ctx *ctx, const unit *parent, const char *code, const char *name,
                          const char *kind)
{
  static const char qi[] = "INSERT INTO units (code, name, name_fold, name_sort, kind, parent_id, "
                           "path, depth, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, "
                           "?, ?) RETURNING id";
  static const char qp[] = "UPDATE units SET path = ? WHERE id = ?";
  kc_stmt *s;
  bool row;
  int64_t id = 0;
  kc_err e = kc_stmt_query(
      ctx->conn, qi, &s, KC_TXT(code), KC_TXT(name), KC_TXT(kc_text_fold(ctx->arena, name)),
      KC_TXT(kc_text_sortkey(ctx->arena, name)), KC_TXT(kind), KC_I64(parent->id),
      KC_I64(parent->depth + 1), KC_I64(ctx->now), KC_I64(ctx->now));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  if (!e)
    e = kc_stmt_query(ctx->conn, qp, &s,
                      KC_TXT(kc_arena_printf(ctx->arena, "%s%" PRId64 "/", parent->path, id)),
                      KC_I64(id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  return e;
}

/* Every district gets `per_district` communes (wards) and the three divisions Ba Đình has. */
static kc_err add_units(kc_ctx *ctx, units *us, int per_district)
{
  static const char *const divisions[] = {"Phòng Tư pháp", "Phòng Tài chính - Kế hoạch",
                                          "Phòng Quản lý đô thị"};
  kc_err e = kc_tx_begin(ctx);
  size_t n = us->n;
  for (size_t i = 0; !e && i < n; i++) {
    const unit *d = &us->u[i];
    if (strcmp(d->kind, "district"))
      continue;
    int communes = 0;
    for (size_t j = 0; j < n; j++)
      communes += us->u[j].parent_id == d->id && !strcmp(us->u[j].kind, "commune");
    const char *place = strncmp(d->name, "UBND ", 5) ? d->name : d->name + 5;
    bool rural =
        !strncmp(place, "huyện", strlen("huyện")) || !strncmp(place, "thị xã", strlen("thị xã"));
    for (int k = 1; !e && communes < per_district && k < 100; k++) {
      char code[48], name[160];
      snprintf(code, sizeof code, "%s-X%02d", d->code, k);
      if (unit_by_code(us, code))
        continue;
      snprintf(name, sizeof name, "UBND %s %02d, %s", rural ? "xã" : "phường", k, place);
      e = unit_insert(ctx, d, code, name, "commune");
      communes++;
    }
    for (int k = 0; !e && k < 3; k++) {
      char code[48], name[160];
      snprintf(code, sizeof code, "%s-P%02d", d->code, k + 1);
      if (unit_by_code(us, code))
        continue;
      snprintf(name, sizeof name, "%s %s", divisions[k], place);
      e = unit_insert(ctx, d, code, name, "division");
    }
  }
  e = kc_tx_end(ctx, e);
  return e ? e : units_load(ctx, us);
}

/* ---- procedures ---- */

typedef struct tmpl {
  const char *name, *field, *level, *unit; /* unit: the implementing unit's code */
  int amount;
  const char *kind; /* working, calendar, hours */
  int weight;
  int steps; /* 1: one unit; 2: handed to a second unit */
} tmpl;

/* Procedures of the kinds Hanoi's desks receive most, with their usual limits (the demo's own,
 * from data/onestop/procedures.json, come on top). */
static const tmpl templates[] = {
    {"Đăng ký khai sinh", "Hộ tịch", "commune", "HN-D01-X01", 1, "working", 40, 1},
    {"Đăng ký khai tử", "Hộ tịch", "commune", "HN-D01-X01", 1, "working", 10, 1},
    {"Đăng ký kết hôn", "Hộ tịch", "commune", "HN-D01-X01", 5, "working", 12, 1},
    {"Cấp bản sao trích lục hộ tịch", "Hộ tịch", "commune", "HN-D01-X01", 8, "hours", 25, 1},
    {"Cấp giấy xác nhận tình trạng hôn nhân", "Hộ tịch", "commune", "HN-D01-X01", 3, "working", 20,
     1},
    {"Đăng ký nhận cha, mẹ, con", "Hộ tịch", "commune", "HN-D01-X01", 3, "working", 3, 1},
    {"Chứng thực bản sao từ bản chính", "Chứng thực", "commune", "HN-D01-X01", 4, "hours", 60, 1},
    {"Chứng thực chữ ký trong giấy tờ, văn bản", "Chứng thực", "commune", "HN-D01-X01", 8, "hours",
     25, 1},
    {"Chứng thực hợp đồng, giao dịch liên quan đến nhà ở", "Chứng thực", "commune", "HN-D01-X01", 2,
     "working", 10, 1},
    {"Xét hưởng trợ cấp xã hội hàng tháng", "Bảo trợ xã hội", "commune", "HN-D01-X01", 20,
     "working", 4, 2},
    {"Hỗ trợ chi phí mai táng", "Bảo trợ xã hội", "commune", "HN-D01-X01", 5, "working", 3, 2},
    {"Hòa giải tranh chấp đất đai", "Đất đai", "commune", "HN-D01-X01", 45, "calendar", 2, 2},
    {"Đăng ký hoạt động tín ngưỡng", "Tôn giáo", "commune", "HN-D01-X01", 15, "calendar", 1, 1},
    {"Cấp giấy chứng nhận đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh",
     "district", "HN-D01", 3, "working", 30, 2},
    {"Thay đổi nội dung đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh",
     "district", "HN-D01", 3, "working", 15, 2},
    {"Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", "district", "HN-D01", 15, "working", 14,
     2},
    {"Cấp giấy phép sửa chữa, cải tạo công trình", "Xây dựng", "district", "HN-D01", 15, "working",
     4, 2},
    {"Đăng ký biến động quyền sử dụng đất, quyền sở hữu nhà ở", "Đất đai", "district", "HN-D01", 10,
     "working", 25, 2},
    {"Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "Đất đai", "district", "HN-D01", 30,
     "working", 8, 2},
    {"Cấp giấy phép bán lẻ sản phẩm rượu", "Lưu thông hàng hóa", "district", "HN-D01", 10,
     "working", 3, 1},
    {"Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", "district",
     "HN-D01", 20, "calendar", 4, 2},
    {"Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "district", "HN-D01", 15, "working", 3,
     2},
    {"Đăng ký kết hôn có yếu tố nước ngoài", "Hộ tịch", "district", "HN-D01", 15, "working", 2, 2},
    {"Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp", "Chứng thực", "district",
     "HN-D01", 8, "hours", 12, 1},
    {"Giải quyết khiếu nại lần đầu", "Giải quyết khiếu nại", "district", "HN-D01", 30, "working", 1,
     2},
    {"Cấp phiếu lý lịch tư pháp", "Lý lịch tư pháp", "city", "HN-S03", 10, "working", 20, 1},
    {"Cấp giấy chứng nhận đăng ký doanh nghiệp", "Thành lập và hoạt động doanh nghiệp", "city",
     "HN-S04", 3, "working", 15, 1},
    {"Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Thành lập và hoạt động doanh nghiệp",
     "city", "HN-S04", 3, "working", 12, 1},
    {"Cấp đổi giấy phép lái xe", "Đường bộ", "city", "HN-S08", 5, "working", 18, 1},
    {"Cấp chứng chỉ hành nghề hoạt động xây dựng", "Xây dựng", "city", "HN-S09", 20, "working", 2,
     2},
    {"Cấp giấy phép lao động cho người nước ngoài", "Việc làm", "city", "HN-S12", 5, "working", 4,
     1},
    {"Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Khám bệnh, chữa bệnh", "city", "HN-S17", 30,
     "working", 2, 2},
    {"Cấp giấy phép khai thác nước dưới đất", "Tài nguyên nước", "city", "HN-S10", 30, "working", 1,
     2},
    {"Cấp giấy phép tổ chức biểu diễn nghệ thuật", "Nghệ thuật biểu diễn", "city", "HN-S13", 5,
     "working", 2, 1},
    {"Công nhận trường mầm non đạt chuẩn quốc gia", "Giáo dục và Đào tạo", "city", "HN-S16", 20,
     "working", 1, 2},
    {"Cấp giấy phép hoạt động điện lực", "Điện", "city", "HN-S06", 15, "working", 1, 2},
    {"Cấp giấy phép nhập cảnh cho khách mời nước ngoài", "Ngoại vụ", "city", "HN-S19", 5, "working",
     1, 1},
};
#define NTEMPLATES ((int)(sizeof templates / sizeof *templates))

typedef struct proc {
  int64_t id, unit_id;
  int level; /* 0 city, 1 district, 2 commune */
  kc_limit limit;
  char *components; /* the checklist as received: every paper received */
  char *first_paper;
  char *step1_name, *step2_name;
  int step1_half, step2_half;
  bool multi;
  int weight;
} proc;

static kc_err create_procedures(kc_ctx *ctx, const units *us)
{
  kc_err e = KC_OK;
  for (int i = 0; !e && i < NTEMPLATES; i++) {
    const tmpl *t = &templates[i];
    char code[32];
    snprintf(code, sizeof code, "HN-TTHC-B%02d", i + 1);
    kc_stmt *s;
    bool row = false;
    e = kc_stmt_query(ctx->conn, "SELECT id FROM procedures WHERE code = ?", &s, KC_TXT(code));
    if (e)
      break;
    e = kc_stmt_step(s, &row);
    kc_stmt_reset(s);
    if (e || row)
      continue;
    const unit *u = unit_by_code(us, t->unit);
    if (!u)
      u = unit_by_code(us, "HN-S01");
    if (!u)
      return kc_ctx_fail(ctx, KC_ENOTFOUND, "unit_id", "Thiếu đơn vị %s (dùng --demo)", t->unit);
    bool hours = !strcmp(t->kind, "hours");
    json_t *o = json_pack("{ss ss ss ss sI ss ss ss sb}", "code", code, "name", t->name, "field",
                          t->field, "level", t->level, "unit_id", (json_int_t)u->id, "fee",
                          t->weight > 10 ? "Miễn phí" : "Theo quy định", "result",
                          "Văn bản giải quyết thủ tục", "legal_basis",
                          "Theo quy định hiện hành (dữ liệu thử tải)", "published", 1);
    if (hours)
      json_object_set_new(o, "processing_hours", json_integer(t->amount));
    else {
      json_object_set_new(o, "processing_days", json_integer(t->amount));
      json_object_set_new(o, "day_kind", json_string(t->kind));
    }
    if (!strcmp(t->field, "Chứng thực"))
      json_object_set_new(o, "cutoff_hour", json_integer(15));
    json_object_set_new(o, "components",
                        json_pack("[{ss si si} {ss si si} {ss si si}]", "name",
                                  kc_arena_printf(ctx->arena, "Tờ khai đề nghị %s", t->name),
                                  "originals", 1, "copies", 0, "name",
                                  "Giấy tờ tùy thân của người nộp hồ sơ", "originals", 0, "copies",
                                  1, "name", "Giấy tờ chứng minh nội dung đề nghị", "originals", 1,
                                  "copies", 1));
    /* steps in working days, within a limit in working days */
    int wd = hours ? 0 : !strcmp(t->kind, "calendar") ? t->amount * 5 / 7 : t->amount;
    json_t *steps = json_array();
    if (t->steps > 1 && wd >= 2) {
      const char *second = !strcmp(t->level, "commune")    ? "HN-D01"
                           : !strcmp(t->level, "district") ? "HN-D01-P02"
                                                           : "HN-S01";
      const unit *su = unit_by_code(us, second);
      json_array_append_new(steps, json_pack("{ss sf}", "name", "Tiếp nhận, kiểm tra hồ sơ", "days",
                                             wd >= 4 ? 1.0 : 0.5));
      json_array_append_new(steps, json_pack("{ss sI sf}", "name", "Thẩm định, trình ký", "unit_id",
                                             (json_int_t)(su ? su->id : u->id), "days",
                                             (double)(wd - (wd >= 4 ? 1 : 0.5) - 0.5)));
      json_array_append_new(steps, json_pack("{ss sf}", "name", "Trả kết quả", "days", 0.5));
    }
    json_object_set_new(o, "steps", steps);
    json_t *out = NULL;
    kc_procedure_in in;
    e = kc_procedure_in_from_json(ctx, o, true, &in);
    if (!e)
      e = kc_procedure_create(ctx, &in, &out);
    json_decref(out);
    json_decref(o);
  }
  return e;
}

static void procs_free(proc *p, int n)
{
  for (int i = 0; i < n; i++) {
    free(p[i].components);
    free(p[i].first_paper);
    free(p[i].step1_name);
    free(p[i].step2_name);
  }
  free(p);
}

static kc_err procs_load(kc_ctx *ctx, proc **out, int *n)
{
  static const char q[] =
      "SELECT id, unit_id, level, limit_amount, limit_kind, cutoff_minute, components, steps, "
      "code FROM procedures WHERE published = 1 ORDER BY id";
  kc_stmt *s;
  bool row;
  int cap = 0;
  *out = NULL;
  *n = 0;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  while (!e && !(e = kc_stmt_step(s, &row)) && row) {
    if (*n == cap)
      *out = kc_xrealloc(*out, (size_t)(cap = cap ? cap * 2 : 64) * sizeof **out);
    proc *p = &(*out)[(*n)++];
    memset(p, 0, sizeof *p);
    p->id = kc_stmt_i64(s, 0);
    p->unit_id = kc_stmt_i64(s, 1);
    const char *lv = kc_stmt_text(s, 2);
    p->level = !strcmp(lv, "city") ? 0 : !strcmp(lv, "district") ? 1 : 2;
    p->limit.amount = (int)kc_stmt_i64(s, 3);
    int k = kc_limit_kind_parse(kc_stmt_text(s, 4));
    p->limit.kind = k < 0 ? KC_LIMIT_WORKING : (kc_limit_kind)k;
    p->limit.cutoff_minute = kc_stmt_is_null(s, 5) ? -1 : (int)kc_stmt_i64(s, 5);
    /* as kc_dossier_receive writes it: the procedure's list, every paper received */
    json_t *c = json_loads(kc_stmt_text(s, 6), 0, NULL), *x;
    size_t i;
    json_array_foreach(c, i, x) json_object_set_new(x, "received", json_true());
    p->components = json_dumps(c ? c : json_array(), JSON_COMPACT);
    const char *paper = json_string_value(json_object_get(json_array_get(c, 0), "name"));
    p->first_paper = kc_xstrdup(paper ? paper : "Giấy tờ tùy thân");
    json_decref(c);
    json_t *st = json_loads(kc_stmt_text(s, 7), 0, NULL);
    json_t *s0 = json_array_get(st, 0), *s1 = json_array_get(st, 1);
    const char *n0 = json_string_value(json_object_get(s0, "name"));
    const char *n1 = json_string_value(json_object_get(s1, "name"));
    p->step1_name = kc_xstrdup(n0 ? n0 : "Tiếp nhận hồ sơ");
    p->step2_name = kc_xstrdup(n1 ? n1 : "Xử lý hồ sơ");
    p->step1_half = (int)json_integer_value(json_object_get(s0, "half_days"));
    p->step2_half = (int)json_integer_value(json_object_get(s1, "half_days"));
    p->multi = json_array_size(st) >= 2 && p->limit.kind != KC_LIMIT_HOURS;
    json_decref(st);
    p->weight = 2;
    const char *code = kc_stmt_text(s, 8);
    int no = 0;
    if (sscanf(code, "HN-TTHC-B%d", &no) == 1 && no >= 1 && no <= NTEMPLATES)
      p->weight = templates[no - 1].weight;
  }
  if (!e)
    kc_stmt_reset(s);
  return e;
}

/* ---- names ---- */

static const char *const families[] = {"Nguyễn", "Trần", "Lê",   "Phạm", "Hoàng", "Huỳnh", "Phan",
                                       "Vũ",     "Võ",   "Đặng", "Bùi",  "Đỗ",    "Hồ",    "Ngô",
                                       "Dương",  "Lý",   "Đào",  "Đinh", "Trịnh", "Lương"};
static const char *const middles[] = {"Văn",  "Thị",  "Hữu",  "Đức", "Minh",  "Thanh", "Quang",
                                      "Ngọc", "Xuân", "Thu",  "Kim", "Gia",   "Bảo",   "Hải",
                                      "Hồng", "Mạnh", "Tuấn", "Anh", "Phương"};
static const char *const givens[] = {
    "An",   "Anh",   "Bình", "Chi",  "Cường", "Dũng",  "Dung",  "Giang", "Hà",    "Hải",
    "Hằng", "Hạnh",  "Hiếu", "Hoa",  "Hòa",   "Hùng",  "Hương", "Huy",   "Khánh", "Lan",
    "Linh", "Long",  "Mai",  "Minh", "Nam",   "Nga",   "Ngọc",  "Nhung", "Phong", "Phúc",
    "Quân", "Quang", "Sơn",  "Tâm",  "Thảo",  "Thắng", "Thủy",  "Trang", "Trung", "Tú",
    "Tuấn", "Vân",   "Việt", "Xuân", "Yến",   "Đạt",   "Đông",  "Lộc",   "Hậu",   "Khoa"};
static const char *const streets[] = {
    "phố Quán Thánh",      "phố Đội Cấn",       "phố Kim Mã",
    "đường Láng",          "phố Huế",           "phố Bạch Mai",
    "đường Giải Phóng",    "phố Trần Duy Hưng", "đường Nguyễn Trãi",
    "phố Hàng Bạc",        "đường Âu Cơ",       "phố Ngọc Lâm",
    "đường Phạm Văn Đồng", "phố Xuân Thủy",     "phố Tây Sơn"};
#define N(a) ((int)(sizeof a / sizeof *a))

typedef struct names {
  char *fam[N(families)], *mid[N(middles)], *giv[N(givens)]; /* folded */
} names;

/* ---- the simulation ---- */

typedef struct rule_day {
  int64_t id;
  int lead, max_resched;
  bool resume;
} rule_day;

typedef struct gen {
  kc_ctx *ctx;
  kc_arena *ar; /* the transaction's strings */
  const kc_cal_calendar *cal;
  units us;
  proc *procs;
  int nprocs, wsum;
  int *districts, *communes, ndistricts, ncommunes;
  int *division[3];  /* per unit index: the district's divisions (-1: none) */
  int64_t *official; /* per unit index: an official of it (0: none) */
  int city_hall;     /* the index of HN-S01, the second step of city procedures */
  kc_cal_day day0, today;
  int ndays;
  char (*daystr)[11];               /* day0 .. day0 + ndays + 400 */
  rule_day *rules;                  /* per day */
  int32_t (*ucnt)[10], (*pcnt)[10]; /* [unit or procedure][day] */
  int32_t *seq;                     /* [unit][day] */
  uint8_t *seq_touched;
  batch d, s, ev, ap, su;
  names nm;
  uint64_t rng;
  int64_t next_id, now;
  int64_t n_open, n_overdue, n_apology;
} gen;

enum {
  C_RECEIVED,
  C_EARLY,
  C_ON_TIME,
  C_LATE,
  C_WORK_DAYS,
  C_RETURNED,
  C_REFUSED,
  C_WITHDRAWN,
  C_APOLOGIES,
  C_LATE_UNAPOLOGISED
};

static const char *day_s(gen *g, kc_cal_day d)
{
  if (d >= g->day0 && d < g->day0 + g->ndays + 400)
    return g->daystr[d - g->day0];
  char b[16];
  return kc_arena_strdup(g->ar, kc_cal_format_date(d, b));
}

static void count(gen *g, int unit_idx, int proc_idx, int64_t at, int what, int n)
{
  int di = kc_cal_day_of_instant(at) - g->day0;
  if (di < 0 || di >= g->ndays)
    return; /* cannot happen: every event lies between day0 and now */
  g->ucnt[(size_t)unit_idx * (size_t)g->ndays + (size_t)di][what] += n;
  g->pcnt[(size_t)proc_idx * (size_t)g->ndays + (size_t)di][what] += n;
}

/* Office time: minute m of the 450 office minutes of a day → minutes after midnight. */
static int office_minute(int m)
{
  return m < 240 ? 8 * 60 + m : 13 * 60 + (m - 240);
}

static int64_t at_office(gen *g, kc_cal_day d)
{
  return kc_cal_instant_at(d, office_minute(rnd(&g->rng, 470))) + rnd(&g->rng, 60);
}

/* kc_dossier__apology_from: owed `lead` working days before the due day, or from the day after
 * it when the regime sets no lead; none once the appointments may not be moved again. */
static const char *apology_from(gen *g, const rule_day *r, kc_cal_day due, int reschedules)
{
  if (r->max_resched > 0 && reschedules >= r->max_resched)
    return NULL;
  kc_cal_day d;
  if (kc_cal_add_workdays(g->cal, due, r->lead > 0 ? -r->lead : 1, &d))
    return NULL;
  return day_s(g, d);
}

/* the dossier_flow.c rule for a step's result */
static const char *step_result(int64_t ended, int64_t due_at)
{
  if (kc_cal_day_of_instant(ended) < kc_cal_day_of_instant(due_at))
    return "early";
  return ended <= due_at ? "on_time" : "late";
}

typedef struct step {
  const char *name;
  int unit;
  int64_t official, started, due, ended;
  const char *result;
} step;

static void add_event(gen *g, int64_t id, int64_t at, const char *kind, int ui, const char *note)
{
  val *v = row_add(&g->ev);
  put_i(&v[0], id);
  put_i(&v[1], at);
  put_s(&v[2], kind);
  put_null(&v[3]);
  put_ref(&v[4], ui >= 0 ? g->us.u[ui].id : 0);
  put_s(&v[5], note);
}

static const char *const apology_reasons[] = {"Hồ sơ cần xác minh thêm tại thực địa",
                                              "Cần lấy ý kiến của cơ quan có liên quan",
                                              "Số lượng hồ sơ tăng đột biến trong kỳ"};
static const char *const refusal_reasons[] = {"Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị",
                                              "Người nộp không đủ điều kiện theo quy định"};

enum fate { F_EARLY, F_ON_TIME, F_LATE_APOLOGY, F_LATE, F_REFUSE, F_WITHDRAW, F_STUCK };

static enum fate pick_fate(gen *g)
{
  int r = rnd(&g->rng, 1000);
  return r < 400   ? F_EARLY
         : r < 850 ? F_ON_TIME
         : r < 890 ? F_LATE_APOLOGY
         : r < 940 ? F_LATE
         : r < 960 ? F_REFUSE
         : r < 975 ? F_WITHDRAW
         : r < 985 ? F_STUCK
                   : F_EARLY;
}

/* One dossier received at `recv_at` by unit index ui for procedure index pi. */
static kc_err one(gen *g, int64_t recv_at, int ui, int pi)
{
  kc_arena *ar = g->ar;
  const proc *p = &g->procs[pi];
  const unit *u = &g->us.u[ui];
  kc_cal_day rday = kc_cal_day_of_instant(recv_at);
  int di = rday - g->day0;
  const rule_day *rule = &g->rules[di];
  int64_t id = g->next_id++, now = g->now;
  kc_cal_day due;
  int64_t due_at;
  if (kc_limit_due(g->cal, &p->limit, recv_at, -1, &due, &due_at, NULL))
    return kc_ctx_fail(g->ctx, KC_EINTERNAL, NULL, "ngày hẹn ngoài lịch");
  kc_cal_day odue = due;
  int64_t odue_at = due_at;
  const char *due_s = day_s(g, due), *odue_s = due_s;
  const char *af = apology_from(g, rule, due, 0);
  /* the code */
  size_t si = (size_t)ui * (size_t)g->ndays + (size_t)di;
  int32_t no = ++g->seq[si];
  g->seq_touched[si] = 1;
  const char *ds = g->daystr[di];
  const char *code =
      kc_arena_printf(ar, "%s-%.2s%.2s%.2s-%04d", u->code, ds + 2, ds + 5, ds + 8, (int)no);
  /* the plan of its life; what lies after `now` does not happen (yet) */
  enum fate fate = pick_fate(g);
  kc_cal_hours h = kc_cal_hours_default();
  int64_t step1_due = due_at;
  if (p->step1_half > 0 && kc_cal_add_half_days(g->cal, &h, recv_at, p->step1_half, &step1_due))
    step1_due = due_at;
  int32_t span = 0;
  if (kc_cal_count_workdays(g->cal, rday, odue, &span))
    span = 0;
  int64_t res_at = 0, ret_at = 0, close_at = 0, ap_at = 0, hand_at = 0;
  kc_cal_day new_due = 0;
  if (fate == F_EARLY && span <= 0)
    fate = F_ON_TIME;
  if (fate == F_EARLY) {
    kc_cal_day d = rday;
    if (kc_cal_add_workdays(g->cal, rday, rnd(&g->rng, span), &d))
      d = rday;
    res_at = at_office(g, d);
  } else if (fate == F_ON_TIME) {
    int64_t lo =
        recv_at > kc_cal_instant_at(odue, 8 * 60) ? recv_at : kc_cal_instant_at(odue, 8 * 60);
    res_at = odue_at > lo ? lo + (int64_t)(rng_next(&g->rng) % (uint64_t)(odue_at - lo)) : odue_at;
  } else if (fate == F_LATE || fate == F_LATE_APOLOGY || fate == F_STUCK) {
    kc_cal_day d = odue;
    if (kc_cal_add_workdays(g->cal, odue, 1 + rnd(&g->rng, 8), &d))
      d = odue + 1;
    res_at = fate == F_STUCK ? 0 : at_office(g, d);
    if (fate == F_LATE_APOLOGY || (fate == F_STUCK && rnd(&g->rng, 2))) {
      /* issued from the day it is owed (at the latest on the due day) */
      kc_cal_day a = odue, from = af ? 0 : odue;
      if (af && !kc_cal_parse_date(af, 10, &from) && from < odue)
        a = from;
      ap_at = at_office(g, a);
      if (ap_at <= recv_at)
        ap_at = recv_at + 600;
      if (kc_cal_add_workdays(g->cal, odue, 5 + rnd(&g->rng, 6), &new_due))
        new_due = 0;
      if (!new_due || (res_at && kc_cal_day_of_instant(res_at) > new_due))
        ap_at = 0;
    }
  } else {
    kc_cal_day d = rday;
    if (kc_cal_add_workdays(g->cal, rday, fate == F_REFUSE ? rnd(&g->rng, 3) : rnd(&g->rng, 8), &d))
      d = rday;
    close_at = at_office(g, d);
  }
  if (res_at && res_at <= recv_at + 600)
    res_at = recv_at + 600 + rnd(&g->rng, 3000);
  if (close_at && close_at <= recv_at + 600)
    close_at = recv_at + 600 + rnd(&g->rng, 3000);
  if (res_at && rnd(&g->rng, 100) >= 3) { /* the applicant comes back for it (most) */
    kc_cal_day d = kc_cal_day_of_instant(res_at), rd = d;
    if (kc_cal_add_workdays(g->cal, d, rnd(&g->rng, 4), &rd))
      rd = d;
    ret_at = rd == d ? res_at + 300 + rnd(&g->rng, 3600) : at_office(g, rd);
  }
  int second = -1;
  if (p->multi && rnd(&g->rng, 10) < 6) {
    second = p->level == 2   ? g->us.by_id[u->parent_id]
             : p->level == 1 ? g->division[rnd(&g->rng, 3)][ui]
                             : (g->city_hall != ui ? g->city_hall : -1);
    int64_t end = res_at ? res_at : close_at ? close_at : 0;
    hand_at = step1_due > recv_at ? recv_at + (step1_due - recv_at) * (3 + rnd(&g->rng, 9)) / 10
                                  : recv_at + 1800;
    if (end && hand_at >= end)
      hand_at = recv_at + (end - recv_at) / 3;
    if (ap_at)
      hand_at = 0; /* keep it simple: apologies go with one-unit dossiers */
  }
  if (second < 0)
    hand_at = 0;
  /* ---- apply, in time order, what happened by now ---- */
  step st[3];
  int nst = 1;
  st[0] = (step){.name = p->step1_name, .unit = ui, .started = recv_at, .due = step1_due};
  const char *status = "received", *result = NULL, *close_reason = NULL, *apology_note = NULL;
  bool open = true;
  int holder = ui, version = 1, reschedules = 0, apologies = 0;
  int64_t assignee = 0, resolved_at = 0, returned_at = 0, closed_at = 0, updated = recv_at;
  int64_t days_left = -1;
  int work_days = -1;
  const char *resolved_day = NULL;
  add_event(g, id, recv_at, "received", ui, NULL);
  if (hand_at && hand_at <= now) {
    st[0].ended = hand_at;
    st[0].result = step_result(hand_at, st[0].due);
    int64_t d2 = due_at;
    if (p->step2_half > 0 && kc_cal_add_half_days(g->cal, &h, hand_at, p->step2_half, &d2))
      d2 = due_at;
    st[nst++] = (step){.name = p->step2_name,
                       .unit = second,
                       .official = g->official[second],
                       .started = hand_at,
                       .due = d2};
    holder = second;
    assignee = g->official[second];
    status = "in_process";
    version++;
    updated = hand_at;
    add_event(g, id, hand_at, "handed_over", second, NULL);
  }
  if (ap_at && ap_at <= now) {
    const char *reason = apology_reasons[rnd(&g->rng, N(apology_reasons))];
    const char *nd = day_s(g, new_due);
    val *v = row_add(&g->ap);
    put_i(&v[0], id);
    put_i(&v[1], 1);
    put_i(&v[2], ap_at);
    put_null(&v[3]);
    put_s(&v[4], reason);
    put_s(&v[5], due_s);
    put_s(&v[6], nd);
    apology_note =
        kc_arena_printf(ar, "%s (hẹn lại ngày %.2s/%.2s/%.4s)", reason, nd + 8, nd + 5, nd);
    add_event(g, id, ap_at, "apology", holder, apology_note);
    count(g, ui, pi, ap_at, C_APOLOGIES, 1);
    reschedules = apologies = 1;
    due = new_due;
    due_s = nd;
    due_at = kc_cal_instant_at(new_due, 17 * 60);
    af = apology_from(g, rule, new_due, reschedules);
    if (!strcmp(status, "received"))
      status = "in_process";
    version++;
    updated = ap_at;
    g->n_apology++;
  }
  if (res_at && res_at <= now) {
    step *o = &st[nst - 1];
    o->ended = res_at;
    o->result = step_result(res_at, o->due);
    int64_t oat = reschedules ? kc_cal_instant_at(odue, 17 * 60) : odue_at;
    result = kc_limit_result(&p->limit, res_at, odue, oat);
    kc_cal_day rd = kc_cal_day_of_instant(res_at);
    int32_t wd = 0;
    if (kc_cal_count_workdays(g->cal, rday, rd, &wd))
      wd = 0;
    work_days = wd < 0 ? 0 : wd;
    resolved_at = res_at;
    resolved_day = day_s(g, rd);
    int what = !strcmp(result, "early") ? C_EARLY : !strcmp(result, "on_time") ? C_ON_TIME : C_LATE;
    count(g, ui, pi, res_at, what, 1);
    count(g, ui, pi, res_at, C_WORK_DAYS, work_days);
    if (what == C_LATE && !apologies)
      count(g, ui, pi, res_at, C_LATE_UNAPOLOGISED, 1);
    add_event(g, id, res_at, "result_ready", holder, NULL);
    if (holder != ui) {
      st[nst++] = (step){.name = "Trả kết quả", .unit = ui, .started = res_at, .due = due_at};
      holder = ui;
    }
    status = "result_ready";
    open = false;
    af = NULL;
    version++;
    updated = res_at;
    if (ret_at && ret_at <= now) {
      if (!st[nst - 1].ended)
        st[nst - 1].ended = ret_at;
      returned_at = closed_at = ret_at;
      count(g, ui, pi, ret_at, C_RETURNED, 1);
      add_event(g, id, ret_at, "returned", holder, NULL);
      status = "returned";
      version++;
      updated = ret_at;
    }
  } else if (close_at && close_at <= now) {
    if (!st[nst - 1].ended)
      st[nst - 1].ended = close_at;
    status = fate == F_REFUSE ? "refused" : "withdrawn";
    close_reason = fate == F_REFUSE ? refusal_reasons[rnd(&g->rng, N(refusal_reasons))]
                                    : "Công dân đề nghị rút hồ sơ";
    closed_at = close_at;
    open = false;
    af = NULL;
    count(g, ui, pi, close_at, fate == F_REFUSE ? C_REFUSED : C_WITHDRAWN, 1);
    add_event(g, id, close_at, status, holder, close_reason);
    version++;
    updated = close_at;
  } else {
    /* still open: assigned at its desk, a few waiting for papers */
    int64_t as_at = recv_at + 1800 + rnd(&g->rng, 5400);
    if (nst == 1 && g->official[ui] && as_at <= now) {
      assignee = st[0].official = g->official[ui];
      add_event(g, id, as_at, "assigned", ui, NULL);
      status = "in_process";
      version++;
      if (as_at > updated)
        updated = as_at;
    }
    int64_t sup_at = recv_at + 86400;
    if (!apologies && rnd(&g->rng, 100) < 4 && sup_at <= now && sup_at < due_at) {
      const char *reason = "Thiếu giấy tờ theo quy định";
      val *v = row_add(&g->su);
      put_i(&v[0], id);
      put_i(&v[1], 1);
      put_i(&v[2], sup_at);
      put_null(&v[3]);
      put_s(&v[4], reason);
      json_t *items = json_pack("[s]", p->first_paper);
      char *js = json_dumps(items, JSON_COMPACT);
      put_s(&v[5], kc_arena_strdup(ar, js));
      free(js);
      json_decref(items);
      if (rule->resume)
        days_left = kc_limit_left(g->cal, &p->limit, sup_at, due, due_at);
      add_event(g, id, sup_at, "supplement_requested", holder, reason);
      status = "supplement_requested";
      version++;
      if (sup_at > updated)
        updated = sup_at;
    }
    g->n_open++;
    if (due < g->today)
      g->n_overdue++;
  }
  /* ---- the rows ---- */
  for (int i = 0; i < nst; i++) {
    val *v = row_add(&g->s);
    put_i(&v[0], id);
    put_i(&v[1], i + 1);
    put_s(&v[2], st[i].name);
    put_i(&v[3], g->us.u[st[i].unit].id);
    put_ref(&v[4], st[i].official);
    put_null(&v[5]);
    put_null(&v[6]);
    put_i(&v[7], st[i].started);
    put_i(&v[8], st[i].due);
    put_ref(&v[9], st[i].ended);
    put_s(&v[10], st[i].result);
    put_null(&v[11]);
  }
  const names *nm = &g->nm;
  int f = rnd(&g->rng, N(families)), m = rnd(&g->rng, N(middles)), gv = rnd(&g->rng, N(givens));
  const char *name = kc_arena_printf(ar, "%s %s %s", families[f], middles[m], givens[gv]);
  const char *fold = kc_arena_printf(ar, "%s %s %s", nm->fam[f], nm->mid[m], nm->giv[gv]);
  int ch = rnd(&g->rng, 100);
  val *v = row_add(&g->d);
  int i = 0;
  put_i(&v[i++], id);
  put_s(&v[i++], code);
  put_i(&v[i++], p->id);
  put_i(&v[i++], rule->id);
  put_i(&v[i++], u->id);
  put_s(&v[i++], u->path);
  put_i(&v[i++], g->us.u[holder].id);
  put_s(&v[i++], g->us.u[holder].path);
  put_ref(&v[i++], assignee);
  put_s(&v[i++], ch < 70 ? "in_person" : ch < 95 ? "online" : "post");
  put_s(&v[i++], name);
  put_s(&v[i++], fold);
  put_s(&v[i++], kc_arena_printf(ar, "001%d%02d%06d", 1 + rnd(&g->rng, 3), rnd(&g->rng, 100),
                                 rnd(&g->rng, 1000000)));
  put_s(&v[i++], kc_arena_printf(ar, "09%08d", rnd(&g->rng, 100000000)));
  put_null(&v[i++]);
  put_s(&v[i++], kc_arena_printf(ar, "Số %d, %s, Hà Nội", 1 + rnd(&g->rng, 200),
                                 streets[rnd(&g->rng, N(streets))]));
  put_s(&v[i++], p->components);
  put_i(&v[i++], p->limit.amount);
  put_s(&v[i++], kc_limit_kind_name(p->limit.kind));
  if (p->limit.cutoff_minute >= 0)
    put_i(&v[i++], p->limit.cutoff_minute);
  else
    put_null(&v[i++]);
  put_i(&v[i++], recv_at);
  put_s(&v[i++], ds);
  put_null(&v[i++]);
  put_i(&v[i++], recv_at);
  if (days_left >= 0)
    put_i(&v[i++], days_left);
  else
    put_null(&v[i++]);
  put_s(&v[i++], odue_s);
  put_s(&v[i++], due_s);
  put_i(&v[i++], due_at);
  put_s(&v[i++], af);
  put_s(&v[i++], status);
  put_i(&v[i++], open);
  put_i(&v[i++], reschedules);
  put_i(&v[i++], apologies);
  put_s(&v[i++], result);
  put_ref(&v[i++], resolved_at);
  put_s(&v[i++], resolved_day);
  if (work_days >= 0)
    put_i(&v[i++], work_days);
  else
    put_null(&v[i++]);
  put_ref(&v[i++], returned_at);
  put_ref(&v[i++], closed_at);
  put_s(&v[i++], close_reason);
  put_i(&v[i++], version);
  put_i(&v[i++], recv_at);
  put_i(&v[i++], updated);
  count(g, ui, pi, recv_at, C_RECEIVED, 1);
  if (g->d.n == (size_t)g->d.k) { /* children only after the dossiers they refer to */
    kc_err e = flush(g->ctx->conn, &g->d, false);
    if (!e)
      e = flush(g->ctx->conn, &g->s, false);
    if (!e)
      e = flush(g->ctx->conn, &g->ev, false);
    if (!e)
      e = flush(g->ctx->conn, &g->ap, false);
    if (!e)
      e = flush(g->ctx->conn, &g->su, false);
    if (e)
      return e;
  }
  return KC_OK;
}

static kc_err flush_all(gen *g)
{
  kc_conn *c = g->ctx->conn;
  kc_err e = flush(c, &g->d, true);
  if (!e)
    e = flush(c, &g->s, true);
  if (!e)
    e = flush(c, &g->ev, true);
  if (!e)
    e = flush(c, &g->ap, true);
  if (e)
    return e;
  return flush(c, &g->su, true);
}

/* The per-day counters and the code sequences, added to what the database already holds. */
static kc_err write_counters(gen *g, int64_t *rows)
{
  kc_conn *c = g->ctx->conn;
  batch b[2] = {{.one = cu_one, .many = cu_many, .cols = 12, .k = 64},
                {.one = cp_one, .many = cp_many, .cols = 12, .k = 64}};
  batch q = {.one = q_one, .many = q_many, .cols = 3, .k = 128};
  kc_err e = kc_tx_begin(g->ctx);
  for (int t = 0; !e && t < 2; t++) {
    size_t groups = t ? (size_t)g->nprocs : g->us.n;
    int32_t(*cnt)[10] = t ? g->pcnt : g->ucnt;
    for (size_t x = 0; !e && x < groups; x++)
      for (int d = 0; !e && d < g->ndays; d++) {
        int32_t *k = cnt[x * (size_t)g->ndays + (size_t)d];
        bool any = false;
        for (int j = 0; j < 10; j++)
          any |= k[j] != 0;
        if (!any)
          continue;
        val *v = row_add(&b[t]);
        put_i(&v[0], t ? g->procs[x].id : g->us.u[x].id);
        put_s(&v[1], g->daystr[d]);
        for (int j = 0; j < 10; j++)
          put_i(&v[2 + j], k[j]);
        if (b[t].n == (size_t)b[t].k * 16)
          e = flush(c, &b[t], false);
      }
    if (!e)
      e = flush(c, &b[t], true);
  }
  for (size_t x = 0; !e && x < g->us.n; x++)
    for (int d = 0; !e && d < g->ndays; d++) {
      size_t si = x * (size_t)g->ndays + (size_t)d;
      if (!g->seq_touched[si])
        continue;
      val *v = row_add(&q);
      put_i(&v[0], g->us.u[x].id);
      put_s(&v[1], g->daystr[d]);
      put_i(&v[2], g->seq[si]);
      if (q.n == (size_t)q.k * 16)
        e = flush(c, &q, false);
    }
  if (!e)
    e = flush(c, &q, true);
  *rows = b[0].rows + b[1].rows + q.rows;
  free(b[0].v);
  free(b[1].v);
  free(q.v);
  return kc_tx_end(g->ctx, e);
}

static kc_err load_seq(gen *g)
{
  static const char q[] = "SELECT unit_id, day, last FROM dossier_seq WHERE day >= ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(g->ctx->conn, q, &s, KC_TXT(g->daystr[0]));
  if (e)
    return e;
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    int64_t uid = kc_stmt_i64(s, 0);
    const char *day = kc_stmt_text(s, 1);
    kc_cal_day d;
    if (uid < 0 || uid > g->us.max_id || g->us.by_id[uid] < 0 ||
        kc_cal_parse_date(day, strlen(day), &d) || d - g->day0 >= g->ndays)
      continue;
    g->seq[(size_t)g->us.by_id[uid] * (size_t)g->ndays + (size_t)(d - g->day0)] =
        (int32_t)kc_stmt_i64(s, 2);
  }
  kc_stmt_reset(s);
  return e;
}

static kc_err load_officials(gen *g)
{
  static const char q[] = "SELECT unit_id, MIN(id) FROM officials GROUP BY unit_id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(g->ctx->conn, q, &s);
  if (e)
    return e;
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    int64_t uid = kc_stmt_i64(s, 0);
    if (uid >= 0 && uid <= g->us.max_id && g->us.by_id[uid] >= 0)
      g->official[g->us.by_id[uid]] = kc_stmt_i64(s, 1);
  }
  kc_stmt_reset(s);
  return e;
}

static kc_err max_id(kc_ctx *ctx, int64_t *out)
{
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_prepare(ctx->conn, "SELECT COALESCE(MAX(id), 0) FROM dossiers", &s);
  if (!e)
    e = kc_stmt_step(s, &row);
  if (!e && row)
    *out = kc_stmt_i64(s, 0);
  if (!e)
    kc_stmt_reset(s);
  return e;
}

static kc_err setup(gen *g, int per_district)
{
  kc_ctx *ctx = g->ctx;
  kc_err e = units_load(ctx, &g->us);
  if (e)
    return e;
  if (!unit_by_code(&g->us, "HN-D01"))
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Cần dữ liệu mẫu (--demo) trước");
  e = add_units(ctx, &g->us, per_district);
  if (e)
    return e;
  e = kc_tx_outer_begin(ctx);
  if (e)
    return e;
  e = create_procedures(ctx, &g->us);
  e = kc_tx_outer_end(ctx, e);
  if (e)
    return e;
  e = procs_load(ctx, &g->procs, &g->nprocs);
  if (e)
    return e;
  size_t nu = g->us.n;
  g->districts = kc_xmalloc(nu * sizeof *g->districts);
  g->communes = kc_xmalloc(nu * sizeof *g->communes);
  for (int k = 0; k < 3; k++) {
    g->division[k] = kc_xmalloc(nu * sizeof *g->division[k]);
    for (size_t i = 0; i < nu; i++)
      g->division[k][i] = -1; /* none: the dossier stays at its desk */
  }
  for (size_t i = 0; i < nu; i++) {
    const unit *x = &g->us.u[i];
    if (!strcmp(x->kind, "district"))
      g->districts[g->ndistricts++] = (int)i;
    else if (!strcmp(x->kind, "commune"))
      g->communes[g->ncommunes++] = (int)i;
    else if (!strcmp(x->kind, "division") && x->parent_id <= g->us.max_id) {
      int pi = g->us.by_id[x->parent_id];
      const char *dash = strrchr(x->code, '-');
      int k = dash && dash[1] == 'P' ? atoi(dash + 2) - 1 : -1;
      if (pi >= 0 && k >= 0 && k < 3)
        g->division[k][pi] = (int)i;
    }
  }
  const unit *hall = unit_by_code(&g->us, "HN-S01");
  g->city_hall = hall ? g->us.by_id[hall->id] : 0;
  if (!g->ndistricts || !g->ncommunes || !g->nprocs)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Thiếu đơn vị hoặc thủ tục để tạo hồ sơ");
  for (int i = 0; i < g->nprocs; i++)
    g->wsum += g->procs[i].weight;
  g->official = kc_xcalloc(nu, sizeof *g->official);
  e = load_officials(g);
  if (e)
    return e;
  for (int i = 0; i < N(families); i++)
    g->nm.fam[i] = kc_xstrdup(kc_text_fold(ctx->arena, families[i]));
  for (int i = 0; i < N(middles); i++)
    g->nm.mid[i] = kc_xstrdup(kc_text_fold(ctx->arena, middles[i]));
  for (int i = 0; i < N(givens); i++)
    g->nm.giv[i] = kc_xstrdup(kc_text_fold(ctx->arena, givens[i]));
  /* the days: two years up to yesterday */
  g->today = kc_cal_day_of_instant(ctx->now);
  g->day0 = g->today - 730;
  g->ndays = 731;
  g->daystr = kc_xmalloc(((size_t)g->ndays + 400) * sizeof *g->daystr);
  for (int d = 0; d < g->ndays + 400; d++)
    kc_cal_format_date(g->day0 + d, g->daystr[d]);
  g->rules = kc_xcalloc((size_t)g->ndays, sizeof *g->rules);
  for (int d = 0; d < g->ndays; d++) {
    kc_onestop_rule r;
    e = kc_onestop_rule_at(ctx, g->daystr[d], &r);
    if (e)
      return e;
    g->rules[d] = (rule_day){.id = r.id,
                             .lead = r.apology_lead_days,
                             .max_resched = r.max_reschedules,
                             .resume = r.supplement_resume};
  }
  g->ucnt = kc_xcalloc(nu * (size_t)g->ndays, sizeof *g->ucnt);
  g->pcnt = kc_xcalloc((size_t)g->nprocs * (size_t)g->ndays, sizeof *g->pcnt);
  g->seq = kc_xcalloc(nu * (size_t)g->ndays, sizeof *g->seq);
  g->seq_touched = kc_xcalloc(nu * (size_t)g->ndays, 1);
  e = load_seq(g);
  if (e)
    return e;
  return max_id(ctx, &g->next_id);
}

static void gen_free(gen *g)
{
  units_free(&g->us);
  procs_free(g->procs, g->nprocs);
  free(g->districts);
  free(g->communes);
  for (int k = 0; k < 3; k++)
    free(g->division[k]);
  free(g->official);
  free(g->daystr);
  free(g->rules);
  free(g->ucnt);
  free(g->pcnt);
  free(g->seq);
  free(g->seq_touched);
  free(g->d.v);
  free(g->s.v);
  free(g->ev.v);
  free(g->ap.v);
  free(g->su.v);
  for (int i = 0; i < N(families); i++)
    free(g->nm.fam[i]);
  for (int i = 0; i < N(middles); i++)
    free(g->nm.mid[i]);
  for (int i = 0; i < N(givens); i++)
    free(g->nm.giv[i]);
}

static int pick_proc(gen *g)
{
  int r = rnd(&g->rng, g->wsum);
  for (int i = 0; i < g->nprocs; i++)
    if ((r -= g->procs[i].weight) < 0)
      return i;
  return g->nprocs - 1;
}

kc_err kc_demo_many_dossiers(kc_ctx *ctx, int communes_per_district, int64_t count, FILE *progress)
{
  gen g = {.ctx = ctx, .now = ctx->now, .rng = 0x6b7963756f6e67u};
  g.d = (batch){.one = d_one, .many = d_many, .cols = 43, .k = 32};
  g.s = (batch){.one = s_one, .many = s_many, .cols = 12, .k = 64};
  g.ev = (batch){.one = e_one, .many = e_many, .cols = 6, .k = 128};
  g.ap = (batch){.one = a_one, .many = a_many, .cols = 7, .k = 32};
  g.su = (batch){.one = u_one, .many = u_many, .cols = 6, .k = 16};
  kc_workcal_cache *cals = kc_workcal_cache_new();
  kc_workcal *w = NULL;
  kc_err e = kc_workcal_acquire(ctx, cals, &w);
  if (!e) {
    g.cal = kc_workcal_get(w);
    e = setup(&g, communes_per_district);
  }
  kc_arena tx_arena;
  kc_arena_init(&tx_arena);
  g.ar = &tx_arena;
  int64_t first_id = g.next_id + 1;
  g.next_id = first_id;
  /* the working days of the two years, each with its share */
  kc_cal_day *wdays = kc_xmalloc((size_t)g.ndays * sizeof *wdays);
  int nw = 0;
  for (int d = 0; !e && d < g.ndays - 1; d++)
    if (kc_cal_is_workday(g.cal, g.day0 + d))
      wdays[nw++] = g.day0 + d;
  const int64_t per_tx = 25000;
  int64_t done = 0, in_tx = 0;
  bool tx = false;
  for (int k = 0; !e && k < nw; k++) {
    int64_t n = count * (k + 1) / nw - count * k / nw;
    for (int64_t j = 0; !e && j < n; j++) {
      if (!tx) {
        e = kc_tx_begin(ctx);
        if (e)
          break;
        tx = true;
      }
      /* in order through the office hours of the day */
      int m = (int)((j * 470 + rnd(&g.rng, 470)) / n);
      int64_t at = kc_cal_instant_at(wdays[k], office_minute(m)) + rnd(&g.rng, 60);
      int pi = pick_proc(&g);
      const proc *p = &g.procs[pi];
      int ui = p->level == 0   ? g.us.by_id[p->unit_id]
               : p->level == 1 ? g.districts[rnd(&g.rng, g.ndistricts)]
                               : g.communes[rnd(&g.rng, g.ncommunes)];
      e = one(&g, at, ui, pi);
      done++;
      if (!e && ++in_tx == per_tx) {
        e = flush_all(&g);
        e = kc_tx_end(ctx, e);
        tx = false;
        in_tx = 0;
        kc_arena_free(&tx_arena);
        kc_arena_init(&tx_arena);
        if (progress && !e) {
          fprintf(progress, "\rtạo hồ sơ một cửa: %" PRId64 "/%" PRId64 " (%d%%)", done, count,
                  (int)(done * 100 / (count ? count : 1)));
          fflush(progress);
        }
      }
    }
  }
  if (tx) {
    if (!e)
      e = flush_all(&g);
    e = kc_tx_end(ctx, e);
  }
  kc_arena_free(&tx_arena);
  free(wdays);
  if (progress && count && in_tx)
    fprintf(progress, "\rtạo hồ sơ một cửa: %" PRId64 "/%" PRId64 " (100%%)", done, count);
  if (progress && count)
    fputc('\n', progress);
  int64_t counter_rows = 0;
  if (!e && done)
    e = kc_conn_reset_identity(ctx->conn, "dossiers", "id");
  if (!e && done)
    e = write_counters(&g, &counter_rows);
  if (!e && done && !(e = kc_tx_begin(ctx))) {
    /* one record for the whole load, in place of one per row */
    char from[16], to[16];
    kc_cal_format_date(g.day0, from);
    kc_cal_format_date(g.today - 1, to);
    json_t *rec = json_pack(
        "{ss sI sI sI sI sI sI sI sI sI ss ss si si}", "generator", "kycuong init --bench-dossiers",
        "dossiers", (json_int_t)g.d.rows, "first_id", (json_int_t)first_id, "steps",
        (json_int_t)g.s.rows, "events", (json_int_t)g.ev.rows, "apologies", (json_int_t)g.ap.rows,
        "supplements", (json_int_t)g.su.rows, "counter_rows", (json_int_t)counter_rows, "open",
        (json_int_t)g.n_open, "open_overdue", (json_int_t)g.n_overdue, "from", from, "to", to,
        "units", (int)g.us.n, "procedures", g.nprocs);
    e = kc_audit_write(ctx, "bench_generate", "dossier", 0, NULL, rec);
    json_decref(rec);
    e = kc_tx_end(ctx, e);
    if (progress && !e)
      fprintf(progress,
              "hồ sơ: %" PRId64 ", bước: %" PRId64 ", sự kiện: %" PRId64 ", xin lỗi: %" PRId64
              ", đang giải quyết: %" PRId64 " (quá hạn %" PRId64 "), %d đơn vị, %d thủ tục\n",
              g.d.rows, g.s.rows, g.ev.rows, g.ap.rows, g.n_open, g.n_overdue, (int)g.us.n,
              g.nprocs);
  }
  kc_workcal_release(cals, w);
  kc_workcal_cache_free(cals);
  gen_free(&g);
  return e;
}
