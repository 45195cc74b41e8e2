/* h_dossiers.c: /api/v1/dossiers (receiving, lists, the record, transitions), the public
 * status lookup /api/v1/public/dossiers/:code and /api/v1/stats/dossiers. */
#include "domain/onestop/dossier.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/ratelimit.h"
#include "report/slips.h"
#include "report/table.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_MAX_ROWS 100000

/* The receipt's members. The domain checks the texts (kc_text_field); these only transcribe,
 * with the messages a wrong type has always had. */
#define RECEIPT_STR(member, field, message)                                                        \
  {                                                                                                \
    .name = field, .type = KC_FT_STR, .flags = KC_F_NULL_ABSENT,                                   \
    .off = offsetof(kc_dossier_in, member), .msg = message                                         \
  }
static const kc_field receipt_fields[] = {
    {.name = "procedure_id",
     .type = KC_FT_INT,
     .flags = KC_F_REQ,
     .off = offsetof(kc_dossier_in, procedure_id),
     .min = INT64_MIN,
     .max = INT64_MAX,
     .msg = "Thiếu thủ tục hành chính (procedure_id)"},
    RECEIPT_STR(applicant.name, "applicant.name", "Họ tên người nộp phải là chuỗi"),
    RECEIPT_STR(applicant.id_number, "applicant.id_number", "Số giấy tờ tùy thân phải là chuỗi"),
    RECEIPT_STR(applicant.phone, "applicant.phone", "Số điện thoại phải là chuỗi"),
    RECEIPT_STR(applicant.email, "applicant.email", "Thư điện tử phải là chuỗi"),
    RECEIPT_STR(applicant.address, "applicant.address", "Địa chỉ phải là chuỗi"),
    RECEIPT_STR(received_at, "received_at",
                "Thời điểm tiếp nhận không hợp lệ (ISO 8601, ví dụ 2017-03-01T09:15)"),
    RECEIPT_STR(channel, "channel",
                "Hình thức nộp phải là in_person (trực tiếp), post (bưu chính) hoặc online (trực "
                "tuyến)"),
    {.name = "unit_id",
     .type = KC_FT_INT,
     .flags = KC_F_NULL_ABSENT,
     .off = offsetof(kc_dossier_in, unit_id),
     .min = INT64_MIN,
     .max = INT64_MAX,
     .msg = "Đơn vị tiếp nhận phải là số nguyên"},
    RECEIPT_STR(note, "note", "Ghi chú phải là chuỗi"),
};

/* A list of papers: absent or null (*v NULL), or an array of at most KC_DOSSIER_MAX_ITEMS;
 * anything else is refused: "<what> (tối đa N mục)". */
static bool list_member(kc_req *r, json_t *b, const char *key, const char *what, json_t **v)
{
  *v = json_object_get(b, key);
  if (json_is_null(*v))
    *v = NULL;
  if (*v && (!json_is_array(*v) || json_array_size(*v) > KC_DOSSIER_MAX_ITEMS)) {
    kc_req_fail_msg(r, KC_EFIELD, key,
                    kc_arena_printf(&r->arena, "%s (tối đa %d mục)", what, KC_DOSSIER_MAX_ITEMS));
    return false;
  }
  return true;
}

/* components: [{name, originals, copies, received} or a name]; a member of the wrong type is
 * transcribed as a value the domain refuses, so that the first bad paper is named in order. */
static bool parse_components(kc_req *r, json_t *b, kc_dossier_in *in)
{
  json_t *v;
  if (!list_member(r, b, "components", "Danh mục giấy tờ phải là danh sách", &v))
    return false;
  if (!v)
    return true;
  size_t n = json_array_size(v);
  kc_dossier_component_in *c = kc_arena_zalloc(&r->arena, (n ? n : 1) * sizeof *c);
  for (size_t i = 0; i < n; i++) {
    json_t *x = json_array_get(v, i);
    json_t *name = json_is_string(x) ? x : json_object_get(x, "name");
    json_t *orig = json_object_get(x, "originals"), *copies = json_object_get(x, "copies");
    json_t *rec = json_object_get(x, "received");
    c[i].name = json_is_string(name) ? kc_arena_strdup(&r->arena, json_string_value(name)) : NULL;
    c[i].has_originals = orig != NULL;
    c[i].originals = json_is_integer(orig) ? json_integer_value(orig) : -1;
    c[i].copies = !copies ? 0 : json_is_integer(copies) ? json_integer_value(copies) : -1;
    c[i].received = !rec ? -1 : json_is_boolean(rec) ? json_is_true(rec) : 2;
  }
  in->components = c;
  in->ncomponents = n;
  return true;
}

void kc_h_dossiers_create(kc_req *r)
{
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  kc_dossier_in in = {.has_applicant = json_is_object(json_object_get(b, "applicant"))};
  if (kc_body_fields(r, b, receipt_fields, KC_NFIELDS(receipt_fields), true, &in) &&
      parse_components(r, b, &in)) {
    kc_err e = kc_dossier_receive(&r->ctx, r->workcal, &in, &out);
    kc_req_answer(r, e, 201, out);
  }
  json_decref(b);
}

void kc_h_dossiers_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_dossier_get(&r->ctx, r->id, &out);
  kc_req_answer(r, e, 200, out);
}

/* The list's filters; the list pages, the export does not. */
#define DOSSIER_PARAMS                                                                             \
  KC_QP_STR(kc_dossier_filter, status, KC_QP_EMPTY_NULL),                                          \
      KC_QP_STR(kc_dossier_filter, q, KC_QP_EMPTY_NULL),                                           \
      KC_QP_STR(kc_dossier_filter, received_from, KC_QP_EMPTY_NULL),                               \
      KC_QP_STR(kc_dossier_filter, received_to, KC_QP_EMPTY_NULL),                                 \
      KC_QP_ID(kc_dossier_filter, unit_id), KC_QP_ID(kc_dossier_filter, holder_unit_id),           \
      KC_QP_ID(kc_dossier_filter, procedure_id), KC_QP_BOOL(kc_dossier_filter, mine)
static const kc_qparam dossier_params[] = {DOSSIER_PARAMS};
static const kc_qparam dossier_list_params[] = {DOSSIER_PARAMS, KC_QP_PAGING(kc_dossier_filter)};

void kc_h_dossiers_list(kc_req *r)
{
  kc_dossier_filter f = {0};
  KC_REQ_LIST(r, dossier_list_params, f, kc_dossier_list);
}

static const kc_column dossier_cols[] = {
    {"code", "Mã hồ sơ", KC_COL_TEXT, 24},
    {"procedure_name", "Thủ tục", KC_COL_TEXT, 50},
    {"applicant_name", "Người nộp", KC_COL_TEXT, 26},
    {"unit_name", "Đơn vị tiếp nhận", KC_COL_TEXT, 28},
    {"holder_unit_name", "Đơn vị đang giữ", KC_COL_TEXT, 28},
    {"received_at", "Thời điểm tiếp nhận", KC_COL_TEXT, 20},
    {"original_due_date", "Hẹn trả lần đầu", KC_COL_DATE, 14},
    {"due_date", "Ngày hẹn trả", KC_COL_DATE, 14},
    {"status_label", "Tình trạng", KC_COL_TEXT, 24},
    {"overdue", "Quá hạn", KC_COL_TEXT, 9},
    {"apology_owed", "Cần xin lỗi", KC_COL_TEXT, 11},
};

void kc_h_dossiers_export(kc_req *r)
{
  kc_dossier_filter f = {.limit = EXPORT_MAX_ROWS};
  KC_REQ_EXPORT(r, dossier_params, f, kc_dossier_list, dossier_cols,
                "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH", "ho-so");
}

/* The members of the actions, with the messages a wrong type has always had; the domain
 * checks the texts and decides the rest. */
#define ACT_FIELD(kind, member, message, lo)                                                       \
  {                                                                                                \
    .name = #member, .type = kind, .flags = KC_F_NULL_ABSENT,                                      \
    .off = offsetof(kc_dossier_act_in, member), .min = (lo), .max = INT64_MAX, .msg = message      \
  }
#define ACT_TEXT(member, message) ACT_FIELD(KC_FT_STR, member, message, 0)
#define ACT_VERSION ACT_FIELD(KC_FT_INT, version, "version phải là số nguyên", INT64_MIN)
#define ACT_NOTE ACT_TEXT(note, "Ghi chú phải là chuỗi")
#define ACT_OFFICIAL ACT_FIELD(KC_FT_INT, official_id, "official_id phải là số nguyên dương", 1)

static const kc_field act_plain[] = {ACT_VERSION, ACT_NOTE};
static const kc_field act_assign[] = {ACT_VERSION, ACT_NOTE, ACT_OFFICIAL};
static const kc_field act_handover[] = {
    ACT_VERSION, ACT_NOTE, ACT_OFFICIAL,
    ACT_FIELD(KC_FT_INT, unit_id, "unit_id phải là số nguyên dương", 1),
    ACT_TEXT(step_name, "Tên bước phải là chuỗi")};
static const kc_field act_supplement[] = {ACT_VERSION, ACT_NOTE,
                                          ACT_TEXT(reason, "Lý do yêu cầu bổ sung phải là chuỗi")};
static const kc_field act_refuse[] = {ACT_VERSION, ACT_NOTE,
                                      ACT_TEXT(reason, "Lý do từ chối phải là chuỗi")};
static const kc_field act_withdraw[] = {ACT_VERSION, ACT_NOTE,
                                        ACT_TEXT(reason, "Lý do rút hồ sơ phải là chuỗi")};
static const kc_field act_apology[] = {ACT_VERSION, ACT_NOTE,
                                       ACT_TEXT(reason, "Lý do chậm trễ phải là chuỗi"),
                                       ACT_TEXT(new_due_date, "Ngày hẹn mới phải là chuỗi")};

static const struct {
  const char *action;
  const kc_field *fields;
  size_t n;
} act_bodies[] = {
    {"assign", act_assign, KC_NFIELDS(act_assign)},
    {"handover", act_handover, KC_NFIELDS(act_handover)},
    {"supplement", act_supplement, KC_NFIELDS(act_supplement)},
    {"refuse", act_refuse, KC_NFIELDS(act_refuse)},
    {"withdraw", act_withdraw, KC_NFIELDS(act_withdraw)},
    {"apology", act_apology, KC_NFIELDS(act_apology)},
};

/* items: the papers a supplement asks for; a member that is not a string reaches the domain
 * as NULL, which it refuses naming items[i]. */
static bool parse_items(kc_req *r, json_t *b, kc_dossier_act_in *in)
{
  json_t *v;
  if (!list_member(r, b, "items", "Danh sách giấy tờ cần bổ sung", &v))
    return false;
  if (!v)
    return true;
  size_t n = json_array_size(v);
  const char **items = kc_arena_zalloc(&r->arena, (n ? n : 1) * sizeof *items);
  for (size_t i = 0; i < n; i++)
    items[i] = kc_arena_strdup(&r->arena, json_string_value(json_array_get(v, i)));
  in->items = items;
  in->nitems = n;
  return true;
}

/* POST /api/v1/dossiers/:id/<action>: the action is the path's last segment. */
void kc_h_dossiers_act(kc_req *r)
{
  const char *slash = strrchr(r->path, '/');
  char action[32];
  snprintf(action, sizeof action, "%s", slash ? slash + 1 : "");
  for (char *c = action; *c; c++)
    if (*c == '-')
      *c = '_';
  const kc_field *fields = act_plain;
  size_t n = KC_NFIELDS(act_plain);
  for (size_t i = 0; i < sizeof act_bodies / sizeof *act_bodies; i++)
    if (!strcmp(action, act_bodies[i].action)) {
      fields = act_bodies[i].fields;
      n = act_bodies[i].n;
    }
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  kc_dossier_act_in in = {.version = KC_DOSSIER_ANY_VERSION};
  if (kc_body_fields(r, b, fields, n, false, &in) &&
      (strcmp(action, "supplement") || parse_items(r, b, &in))) {
    kc_err e = kc_dossier_act(&r->ctx, r->workcal, r->id, action, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
  json_decref(b);
}

void kc_h_public_dossier(kc_req *r)
{
  int retry = 0;
  if (!kc_ratelimit_take(r->addr, r->cfg->public_lookups, &retry)) {
    r->ctx.retry_after = retry;
    kc_req_fail_msg(r, KC_ETHROTTLE, NULL,
                    kc_arena_printf(&r->arena,
                                    "Bạn tra cứu quá nhiều lần; vui lòng thử lại sau %d giây",
                                    retry));
    return;
  }
  const char *code = strrchr(r->path, '/');
  json_t *out = NULL;
  kc_err e = kc_dossier_public(&r->ctx, code ? code + 1 : "", &out);
  kc_req_answer(r, e, 200, out);
}

static bool parse_stats(kc_req *r, kc_dossier_stats_in *in)
{
  bool bad = false;
  in->from = kc_req_query(r, "from", &bad);
  if (!bad)
    in->to = kc_req_query(r, "to", &bad);
  if (!bad)
    in->group_by = kc_req_query(r, "group_by", &bad);
  if (bad || !kc_req_query_int(r, "unit_id", 0, INT64_MAX, 0, &in->unit_id) ||
      !kc_req_query_int(r, "procedure_id", 0, INT64_MAX, 0, &in->procedure_id))
    return false;
  if (in->group_by && !*in->group_by)
    in->group_by = NULL;
  return true;
}

void kc_h_stats_dossiers(kc_req *r)
{
  kc_dossier_stats_in in = {0};
  if (!parse_stats(r, &in))
    return;
  json_t *out = NULL;
  kc_err e = kc_dossier_stats(&r->ctx, &in, &out);
  kc_req_answer(r, e, 200, out);
}

/* The columns after the first, which names the unit or the procedure. */
#define STATS_COUNT_COLS                                                                           \
  {"received", "Tiếp nhận", KC_COL_INT, 11}, {"resolved", "Đã giải quyết", KC_COL_INT, 11},        \
      {"early", "Trước hạn", KC_COL_INT, 10}, {"on_time", "Đúng hạn", KC_COL_INT, 10},             \
      {"late", "Quá hạn", KC_COL_INT, 10},                                                         \
      {"in_process_on_time", "Đang giải quyết trong hạn", KC_COL_INT, 13},                         \
      {"in_process_overdue", "Đang giải quyết quá hạn", KC_COL_INT, 13},                           \
      {"returned", "Đã trả kết quả", KC_COL_INT, 11},                                              \
      {"apologies", "Phiếu xin lỗi", KC_COL_INT, 10},                                              \
      {"overdue_unapologised", "Quá hạn chưa xin lỗi", KC_COL_INT, 12},                            \
      {"avg_work_days", "Thời gian giải quyết bình quân (ngày)", KC_COL_DECIMAL, 14},              \
  {                                                                                                \
    "on_time_rate", "Tỷ lệ đúng hạn", KC_COL_RATE, 12                                              \
  }
static const kc_column stats_unit_cols[] = {{"unit_name", "Đơn vị", KC_COL_TEXT, 34},
                                            STATS_COUNT_COLS};
static const kc_column stats_procedure_cols[] = {{"procedure_name", "Thủ tục", KC_COL_TEXT, 50},
                                                 STATS_COUNT_COLS};

void kc_h_stats_dossiers_export(kc_req *r)
{
  kc_dossier_stats_in in = {0};
  if (!parse_stats(r, &in))
    return;
  json_t *out = NULL;
  kc_err e = kc_dossier_stats(&r->ctx, &in, &out);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  bool by_unit = !in.group_by || !strcmp(in.group_by, "unit");
  json_t *items = json_incref(json_object_get(out, "items"));
  const char *title = kc_arena_printf(
      &r->arena, "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH TỪ %.2s/%.2s/%.4s ĐẾN %.2s/%.2s/%.4s",
      in.from + 8, in.from + 5, in.from, in.to + 8, in.to + 5, in.to);
  json_decref(out);
  if (by_unit)
    kc_h_send_table(r, items, stats_unit_cols, sizeof stats_unit_cols / sizeof *stats_unit_cols,
                    title, "thong-ke-ho-so");
  else
    kc_h_send_table(r, items, stats_procedure_cols,
                    sizeof stats_procedure_cols / sizeof *stats_procedure_cols, title,
                    "thong-ke-ho-so-theo-thu-tuc");
}

/* ---- the slips (PDF) ---- */

typedef enum { SLIP_RECEIPT, SLIP_SUPPLEMENT, SLIP_REFUSAL, SLIP_APOLOGY, SLIP_CONTROL } slip_kind;

static void slip(kc_req *r, slip_kind kind)
{
  int64_t seq = 0;
  if ((kind == SLIP_SUPPLEMENT || kind == SLIP_APOLOGY) &&
      !kc_req_query_int(r, "seq", 1, 1000, 0, &seq))
    return;
  json_t *d = NULL;
  kc_err e = kc_dossier_get(&r->ctx, r->id, &d);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  /* copied: the header below outlives the record */
  const char *code = kc_arena_strdup(&r->arena, json_string_value(json_object_get(d, "code")));
  const char *status = json_string_value(json_object_get(d, "status"));
  /* the newest supplement request or apology unless one is named */
  if (!seq && kind == SLIP_SUPPLEMENT)
    seq = (int64_t)json_array_size(json_object_get(d, "supplements"));
  if (!seq && kind == SLIP_APOLOGY)
    seq = (int64_t)json_array_size(json_object_get(d, "apologies"));
  const char *missing = kind == SLIP_SUPPLEMENT && !seq ? "Hồ sơ chưa có yêu cầu bổ sung"
                        : kind == SLIP_APOLOGY && !seq  ? "Hồ sơ chưa có phiếu xin lỗi"
                        : kind == SLIP_REFUSAL && strcmp(status, "refused")
                            ? "Hồ sơ không bị từ chối giải quyết"
                            : NULL;
  if (missing) {
    json_decref(d);
    kc_req_fail_msg(r, KC_ENOTFOUND, NULL, missing);
    return;
  }
  char *pdf = NULL;
  size_t len = 0;
  const char *file = "phieu";
  switch (kind) {
  case SLIP_RECEIPT: {
    const char *url =
        kc_arena_printf(&r->arena, "%s/public.html#/tra-cuu/%s", r->cfg->public_url, code);
    e = kc_slip_receipt(d, url, NULL, &pdf, &len);
    file = "giay-tiep-nhan";
    break;
  }
  case SLIP_SUPPLEMENT:
    e = kc_slip_supplement(d, (int)seq, NULL, &pdf, &len);
    file = "phieu-yeu-cau-bo-sung";
    break;
  case SLIP_REFUSAL:
    e = kc_slip_refusal(d, NULL, &pdf, &len);
    file = "phieu-tu-choi";
    break;
  case SLIP_APOLOGY:
    e = kc_slip_apology(d, (int)seq, NULL, &pdf, &len);
    file = "phieu-xin-loi";
    break;
  case SLIP_CONTROL:
    e = kc_slip_control(d, NULL, &pdf, &len);
    file = "phieu-kiem-soat";
    break;
  }
  json_decref(d);
  if (e) {
    free(pdf);
    kc_req_fail_msg(r, e == KC_ENOTFOUND ? KC_ENOTFOUND : KC_EINTERNAL, NULL,
                    e == KC_ENOTFOUND ? "Không có phiếu này" : "Không tạo được tệp PDF");
    return;
  }
  r->status = 200;
  r->resp = kc_arena_strndup(&r->arena, pdf, len);
  r->resp_len = len;
  r->content_type = "application/pdf";
  free(pdf);
  kc_req_add_header(r, "Content-Disposition",
                    kc_arena_printf(&r->arena, "inline; filename=\"%s-%s.pdf\"", file, code));
}

void kc_h_dossiers_receipt(kc_req *r)
{
  slip(r, SLIP_RECEIPT);
}

void kc_h_dossiers_supplement_slip(kc_req *r)
{
  slip(r, SLIP_SUPPLEMENT);
}

void kc_h_dossiers_refusal_slip(kc_req *r)
{
  slip(r, SLIP_REFUSAL);
}

void kc_h_dossiers_apology_slip(kc_req *r)
{
  slip(r, SLIP_APOLOGY);
}

void kc_h_dossiers_control_slip(kc_req *r)
{
  slip(r, SLIP_CONTROL);
}
