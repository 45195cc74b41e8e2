/* slips.c: see slips.h. Wording follows the models of Circular 01/2018/TT-VPCP (forms 01–05);
 * layout is pdf_doc's. Every field goes through blank() or a vndate writer, so a missing
 * value prints as dots. */
#include "report/slips.h"
#include "base/mem.h"
#include "report/pdf_doc.h"
#include "report/vndate.h"
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SIGNER "TM. BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
#define SIGN_NOTE "(Ký, ghi rõ họ tên)"

/* ---- Reading the dossier --------------------------------------------------------------- */

/* The string member `key` of `o`, or NULL when o is not an object, the member is missing,
 * null, not a string or empty. */
static const char *str(const json_t *o, const char *key)
{
  const char *s = json_string_value(json_object_get(o, key));
  return s && *s ? s : NULL;
}

static const char *blank(const char *s)
{
  return s ? s : KC_VN_BLANK;
}

/* A form field on its own line: bold label, value or dots, ragged right (a justified line
 * would stretch when a long value wraps). */
static void field(kc_pdf_doc *doc, const char *label, const char *value)
{
  kc_pdf_para(doc, label, value ? value : KC_VN_BLANK, KC_PDF_LEFT | KC_PDF_TIGHT);
}

/* An integer member as text ("3"), or NULL. */
static const char *num(const json_t *o, const char *key, char *buf, size_t cap)
{
  const json_t *v = json_object_get(o, key);
  if (json_is_integer(v))
    snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v))
    snprintf(buf, cap, "%g", json_real_value(v));
  else
    return NULL;
  return buf;
}

/* The element of the array `key` whose "seq" is seq, or else the seq-th one. */
static const json_t *by_seq(const json_t *d, const char *key, int seq)
{
  const json_t *a = json_object_get(d, key), *v;
  size_t i;
  json_array_foreach(a, i, v)
  {
    if (json_integer_value(json_object_get(v, "seq")) == seq)
      return v;
  }
  v = seq >= 1 ? json_array_get(a, (size_t)seq - 1) : NULL;
  return json_is_object(v) && !json_object_get(v, "seq") ? v : NULL;
}

static const char *channel_vi(const char *c)
{
  static const struct {
    const char *code, *vi;
  } names[] = {
      {"in_person", "Trực tiếp"},
      {"post", "Qua bưu chính"},
      {"online", "Trực tuyến"},
  };
  for (size_t i = 0; c && i < sizeof names / sizeof *names; i++)
    if (!strcmp(c, names[i].code))
      return names[i].vi;
  return blank(c);
}

static const char *result_vi(const char *r)
{
  static const struct {
    const char *code, *vi;
  } names[] = {
      {"early", "Trước hạn"}, {"ahead", "Trước hạn"}, {"on_time", "Đúng hạn"},
      {"late", "Quá hạn"},    {"overdue", "Quá hạn"},
  };
  for (size_t i = 0; r && i < sizeof names / sizeof *names; i++)
    if (!strcmp(r, names[i].code))
      return names[i].vi;
  return r ? r : "";
}

/* "3 ngày làm việc" from procedure.limit {"amount":3,"kind":"working"}. */
static void limit_vi(const json_t *proc, char *buf, size_t cap)
{
  const json_t *lim = json_object_get(proc, "limit");
  char n[32];
  const char *amount = num(lim, "amount", n, sizeof n), *kind = str(lim, "kind");
  if (!amount) {
    snprintf(buf, cap, "%s", KC_VN_BLANK);
    return;
  }
  const char *unit = "ngày làm việc";
  if (kind && !strcmp(kind, "calendar"))
    unit = "ngày";
  else if (kind && (!strcmp(kind, "hours") || !strcmp(kind, "working_hours")))
    unit = "giờ làm việc";
  snprintf(buf, cap, "%s %s", amount, unit);
}

/* "…" + "." unless the text already ends a sentence. */
static const char *stop(const char *s)
{
  size_t n = strlen(s);
  return n && strchr(".!?", s[n - 1]) ? "" : ".";
}

/* "Ngày 05 tháng 3 năm 2017" at the start of a sentence. */
static void long_date_cap(const char *iso, char *buf, size_t cap)
{
  kc_vndate_long(iso, buf, cap);
  buf[0] = 'N';
}

/* ---- The parts every slip shares ------------------------------------------------------- */

/* A document with the unit's header, the form note and title from rule.forms.<form> (or
 * `title`), dated `date_iso`. */
static kc_pdf_doc *slip_new(const json_t *d, const char *form, const char *title,
                            const char *date_iso, const kc_slip_opts *o)
{
  kc_pdf_doc *doc = kc_pdf_new();
  const json_t *unit = json_object_get(d, "unit");
  const json_t *rule = json_object_get(d, "rule");
  const json_t *f = json_object_get(json_object_get(rule, "forms"), form);
  char date[KC_VNDATE_MAX];

  kc_pdf_set_issuer(doc, str(unit, "parent_name"), blank(str(unit, "name")));
  kc_vndate_long(date_iso, date, sizeof date);
  kc_pdf_set_place_date(doc, o && o->place ? o->place : "Hà Nội", date);
  const char *number = str(f, "number"), *basis = str(rule, "basis");
  if (number) {
    char *note = basis ? g_strdup_printf("Mẫu số %s (%s)", number, basis)
                       : g_strdup_printf("Mẫu số %s", number);
    kc_pdf_set_form_note(doc, note);
    g_free(note);
  }
  kc_pdf_set_title(doc, str(f, "title") ? str(f, "title") : title, NULL);
  return doc;
}

/* "Kính gửi: Ông/Bà …", then address and phone. */
static void addressee(kc_pdf_doc *doc, const json_t *d)
{
  const json_t *a = json_object_get(d, "applicant");
  kc_pdf_paraf(doc, "Kính gửi: ", KC_PDF_LEFT | KC_PDF_TIGHT, "Ông/Bà %s", blank(str(a, "name")));
  field(doc, "Địa chỉ: ", str(a, "address"));
  field(doc, "Số điện thoại: ", str(a, "phone"));
  kc_pdf_para(doc, "Mã hồ sơ: ", blank(str(d, "code")), KC_PDF_LEFT);
}

/* "Ngày …, <unit> tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính: <procedure>." */
static void received_sentence(kc_pdf_doc *doc, const json_t *d)
{
  char date[KC_VNDATE_MAX];
  long_date_cap(str(d, "received_at"), date, sizeof date);
  const char *proc = blank(str(json_object_get(d, "procedure"), "name"));
  kc_pdf_paraf(doc, NULL, KC_PDF_INDENT,
               "%s, %s tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính: %s%s", date,
               blank(str(json_object_get(d, "unit"), "name")), proc, stop(proc));
}

static void sign(kc_pdf_doc *doc, const kc_slip_opts *o, const char *name)
{
  kc_pdf_signer s = {
      .authority = o && o->signer_title ? o->signer_title : DEFAULT_SIGNER,
      .note = SIGN_NOTE,
      .name = o && o->signer_name ? o->signer_name : name,
  };
  kc_pdf_space(doc, 4);
  kc_pdf_closing(doc, NULL, 0, NULL, &s);
}

static kc_err finish(kc_pdf_doc *doc, char **out, size_t *len)
{
  kc_err e = kc_pdf_render(doc, out, len);
  kc_pdf_free(doc);
  return e;
}

/* ---- The slips ------------------------------------------------------------------------- */

/* The appointment made at reception: original_due_date, with the time of due_at as long as
 * an apology has not moved due_at to another day. */
static void receipt_appointment(const json_t *d, char *buf, size_t cap)
{
  const char *orig = str(d, "original_due_date"), *at = str(d, "due_at");
  char day[16] = "";
  kc_vndate v;
  if (at && kc_vndate_parse(at, &v))
    snprintf(day, sizeof day, "%04d-%02d-%02d", v.year, v.month, v.day);
  if (at && (!orig || !strcmp(orig, day)))
    kc_vndate_datetime(at, buf, cap);
  else
    kc_vndate_datetime(orig ? orig : str(d, "due_date"), buf, cap);
}

kc_err kc_slip_receipt(const json_t *d, const char *status_url, const kc_slip_opts *o, char **out,
                       size_t *len)
{
  if (!json_is_object(d))
    return KC_EFIELD;
  const json_t *a = json_object_get(d, "applicant"), *proc = json_object_get(d, "procedure");
  kc_pdf_doc *doc =
      slip_new(d, "receipt", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", str(d, "received_at"), o);
  char buf[KC_VNDATE_MAX];

  kc_pdf_para(doc, "Mã hồ sơ: ", blank(str(d, "code")), KC_PDF_CENTER);
  field(doc, "Người tiếp nhận hồ sơ: ", str(d, "received_by_name"));
  field(doc, "Tiếp nhận hồ sơ của: ", str(a, "name"));
  field(doc, "Số CMND/CCCD: ", str(a, "id_number"));
  field(doc, "Địa chỉ: ", str(a, "address"));
  field(doc, "Số điện thoại: ", str(a, "phone"));
  field(doc, "Email: ", str(a, "email"));
  kc_pdf_para(doc, "Nội dung yêu cầu giải quyết: ", blank(str(proc, "name")), KC_PDF_LEFT);

  /* The components received; two count columns when the dossier gives them. */
  kc_pdf_para(doc, "1. Thành phần hồ sơ nộp gồm:", NULL, KC_PDF_LEFT | KC_PDF_TIGHT);
  const json_t *comps = json_object_get(d, "components"), *c;
  size_t i;
  bool counts = false;
  json_array_foreach(comps, i, c)
  {
    counts |= json_is_number(json_object_get(c, "originals")) ||
              json_is_number(json_object_get(c, "copies"));
  }
  const kc_pdf_col cols4[] = {{0.08, KC_PDF_ALIGN_CENTER},
                              {0.60, KC_PDF_ALIGN_LEFT},
                              {0.16, KC_PDF_ALIGN_CENTER},
                              {0.16, KC_PDF_ALIGN_CENTER}};
  const kc_pdf_col cols3[] = {
      {0.08, KC_PDF_ALIGN_CENTER}, {0.76, KC_PDF_ALIGN_LEFT}, {0.16, KC_PDF_ALIGN_CENTER}};
  kc_pdf_table_begin(doc, counts ? cols4 : cols3, counts ? 4 : 3, 0);
  const char *h4[] = {"STT", "Tên giấy tờ", "Số bản chính", "Số bản sao"};
  const char *h3[] = {"STT", "Tên giấy tờ", "Số lượng"};
  kc_pdf_table_header(doc, counts ? h4 : h3);
  int n = 0;
  json_array_foreach(comps, i, c)
  {
    if (json_is_false(json_object_get(c, "received")))
      continue; /* listed on the supplement request, not here */
    char no[16], orig[32], copies[32], qty[32];
    snprintf(no, sizeof no, "%d", ++n);
    const char *row[] = {no, blank(str(c, "name")),
                         counts ? num(c, "originals", orig, sizeof orig)
                                : num(c, "quantity", qty, sizeof qty),
                         num(c, "copies", copies, sizeof copies)};
    kc_pdf_table_row(doc, row);
  }
  if (!n) {
    const char *row[] = {"", KC_VN_BLANK, "", ""};
    kc_pdf_table_row(doc, row);
  }

  kc_pdf_para(doc, "2. Số lượng hồ sơ: ", "01 bộ.", KC_PDF_LEFT | KC_PDF_TIGHT);
  limit_vi(proc, buf, sizeof buf);
  kc_pdf_paraf(doc, "3. Thời gian giải quyết hồ sơ theo quy định: ", KC_PDF_LEFT | KC_PDF_TIGHT,
               "%s.", buf);
  kc_vndate_datetime(str(d, "received_at"), buf, sizeof buf);
  kc_pdf_paraf(doc, "4. Thời gian nhận hồ sơ: ", KC_PDF_LEFT | KC_PDF_TIGHT, "%s.", buf);
  receipt_appointment(d, buf, sizeof buf);
  kc_pdf_paraf(doc, "5. Ngày hẹn trả kết quả: ", KC_PDF_LEFT | KC_PDF_TIGHT, "%s.", buf);
  kc_pdf_paraf(doc, "6. Hình thức nộp hồ sơ: ", KC_PDF_LEFT, "%s.", channel_vi(str(d, "channel")));

  if (status_url)
    kc_pdf_set_qr(doc, status_url, "Quét mã để tra cứu tình trạng hồ sơ", status_url);
  kc_pdf_signer applicant = {.title = "NGƯỜI NỘP HỒ SƠ", .note = SIGN_NOTE, .name = str(a, "name")};
  kc_pdf_signer desk = {.title = "NGƯỜI TIẾP NHẬN",
                        .note = SIGN_NOTE,
                        .name = o && o->signer_name ? o->signer_name : str(d, "received_by_name")};
  kc_pdf_space(doc, 2);
  kc_pdf_closing(doc, NULL, 0, &applicant, &desk);
  return finish(doc, out, len);
}

kc_err kc_slip_supplement(const json_t *d, int seq, const kc_slip_opts *o, char **out, size_t *len)
{
  if (!json_is_object(d))
    return KC_EFIELD;
  const json_t *s = by_seq(d, "supplements", seq);
  if (!s)
    return KC_ENOTFOUND;
  kc_pdf_doc *doc = slip_new(d, "supplement", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                             str(s, "requested_at"), o);
  addressee(doc, d);
  received_sentence(doc, d);
  kc_pdf_para(doc, NULL,
              "Sau khi xem xét, hồ sơ của Ông/Bà chưa đầy đủ, hợp lệ. Đề nghị Ông/Bà bổ sung, "
              "hoàn thiện hồ sơ gồm những nội dung sau:",
              KC_PDF_INDENT | KC_PDF_TIGHT);
  kc_pdf_list_begin(doc, KC_PDF_LIST_NUMBER);
  const json_t *items = json_object_get(s, "items"), *it;
  size_t i;
  json_array_foreach(items, i, it)
  {
    kc_pdf_list_item(doc, blank(json_string_value(it)));
  }
  if (!json_array_size(items))
    kc_pdf_list_item(doc, KC_VN_BLANK);
  kc_pdf_space(doc, 2);
  const char *reason = blank(str(s, "reason"));
  kc_pdf_paraf(doc, "Lý do: ", KC_PDF_INDENT, "%s%s", reason, stop(reason));
  kc_pdf_para(doc, NULL,
              "Thời gian Ông/Bà bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết hồ "
              "sơ. Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ "
              "phận tiếp nhận và trả kết quả để được hướng dẫn./.",
              KC_PDF_INDENT);
  sign(doc, o, str(s, "requested_by_name"));
  return finish(doc, out, len);
}

kc_err kc_slip_refusal(const json_t *d, const kc_slip_opts *o, char **out, size_t *len)
{
  if (!json_is_object(d))
    return KC_EFIELD;
  const char *date = o && o->date ? o->date : str(d, "closed_at");
  kc_pdf_doc *doc = slip_new(d, "refusal", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", date, o);
  addressee(doc, d);
  received_sentence(doc, d);
  kc_pdf_paraf(doc, NULL, KC_PDF_INDENT | KC_PDF_TIGHT,
               "Qua xem xét, %s thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ "
               "thể như sau:",
               blank(str(json_object_get(d, "unit"), "name")));
  /* One reason per line of close_reason. */
  const char *reason = blank(str(d, "close_reason"));
  char *copy = kc_xstrdup(reason), *save = NULL;
  kc_pdf_list_begin(doc, KC_PDF_LIST_DASH);
  for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
    kc_pdf_list_item(doc, line);
  free(copy);
  kc_pdf_space(doc, 2);
  kc_pdf_para(doc, NULL, "Xin thông báo để Ông/Bà được biết và thực hiện./.", KC_PDF_INDENT);
  sign(doc, o, str(d, "received_by_name"));
  return finish(doc, out, len);
}

kc_err kc_slip_apology(const json_t *d, int seq, const kc_slip_opts *o, char **out, size_t *len)
{
  if (!json_is_object(d))
    return KC_EFIELD;
  const json_t *ap = by_seq(d, "apologies", seq);
  if (!ap)
    return KC_ENOTFOUND;
  const char *unit = blank(str(json_object_get(d, "unit"), "name"));
  const char *proc = blank(str(json_object_get(d, "procedure"), "name"));
  char received[KC_VNDATE_MAX], old_due[KC_VNDATE_MAX], new_due[KC_VNDATE_MAX];
  long_date_cap(str(d, "received_at"), received, sizeof received);
  kc_vndate_long(str(ap, "old_due_date") ? str(ap, "old_due_date") : str(d, "original_due_date"),
                 old_due, sizeof old_due);
  kc_vndate_long(str(ap, "new_due_date"), new_due, sizeof new_due);

  kc_pdf_doc *doc =
      slip_new(d, "apology", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", str(ap, "issued_at"), o);
  addressee(doc, d);
  kc_pdf_paraf(doc, NULL, KC_PDF_INDENT,
               "%s, %s tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục hành chính: %s; "
               "thời gian hẹn trả kết quả là %s.",
               received, unit, proc, old_due);
  const char *reason = blank(str(ap, "reason"));
  kc_pdf_paraf(doc, NULL, KC_PDF_INDENT,
               "Tuy nhiên, đến nay %s chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn. Lý "
               "do: %s%s",
               unit, reason, stop(reason));
  kc_pdf_paraf(doc, NULL, KC_PDF_INDENT,
               "%s xin lỗi Ông/Bà vì sự chậm trễ này và hẹn trả kết quả vào %s.", unit, new_due);
  kc_pdf_para(doc, NULL, "Xin trân trọng cảm ơn./.", KC_PDF_INDENT);
  sign(doc, o, str(ap, "issued_by_name"));
  return finish(doc, out, len);
}

kc_err kc_slip_control(const json_t *d, const kc_slip_opts *o, char **out, size_t *len)
{
  if (!json_is_object(d))
    return KC_EFIELD;
  const char *date = o && o->date ? o->date : str(d, "closed_at");
  kc_pdf_doc *doc = slip_new(d, "control", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", date, o);
  char buf[KC_VNDATE_MAX];

  kc_pdf_para(doc, "Mã hồ sơ: ", blank(str(d, "code")), KC_PDF_CENTER | KC_PDF_TIGHT);
  kc_pdf_paraf(doc, NULL, KC_PDF_CENTER | KC_PDF_ITALIC, "(Kèm theo hồ sơ của: %s)",
               blank(str(json_object_get(d, "applicant"), "name")));
  field(doc, "Thủ tục hành chính: ", str(json_object_get(d, "procedure"), "name"));
  kc_vndate_datetime(str(d, "received_at"), buf, sizeof buf);
  field(doc, "Ngày nhận hồ sơ: ", buf);
  kc_vndate_datetime(str(d, "due_at") ? str(d, "due_at") : str(d, "due_date"), buf, sizeof buf);
  kc_pdf_para(doc, "Ngày hẹn trả kết quả: ", buf, KC_PDF_LEFT);

  const kc_pdf_col cols[] = {
      {0.25, KC_PDF_ALIGN_LEFT},   {0.19, KC_PDF_ALIGN_CENTER}, {0.15, KC_PDF_ALIGN_CENTER},
      {0.15, KC_PDF_ALIGN_CENTER}, {0.13, KC_PDF_ALIGN_CENTER}, {0.13, KC_PDF_ALIGN_LEFT},
  };
  const char *head[] = {"TÊN CƠ QUAN/BỘ PHẬN", "THỜI GIAN GIAO NHẬN HỒ SƠ", "NGƯỜI GIAO",
                        "NGƯỜI NHẬN",          "KẾT QUẢ GIẢI QUYẾT",        "GHI CHÚ"};
  kc_pdf_table_begin(doc, cols, 6, 11);
  kc_pdf_table_header(doc, head);
  const json_t *steps = json_object_get(d, "steps"), *s;
  size_t i;
  json_array_foreach(steps, i, s)
  {
    char when[KC_VNDATE_MAX], seq[32];
    const char *no = num(s, "seq", seq, sizeof seq);
    char *unit =
        g_strdup_printf("%s%s%s", no ? no : "", no ? ". " : "", blank(str(s, "unit_name")));
    kc_vndate_datetime_short(str(s, "started_at"), when, sizeof when);
    const char *row[] = {unit,
                         when,
                         blank(str(s, "given_by_name")),
                         blank(str(s, "received_by_name")),
                         result_vi(str(s, "result")),
                         str(s, "note")};
    kc_pdf_table_row(doc, row);
    g_free(unit);
  }
  if (!json_array_size(steps)) {
    const char *row[] = {KC_VN_BLANK, KC_VN_BLANK, "", "", "", ""};
    kc_pdf_table_row(doc, row);
  }
  return finish(doc, out, len);
}
