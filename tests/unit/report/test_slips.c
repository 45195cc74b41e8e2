/* Unit tests of src/report/pdf_doc.c and slips.c: every slip is rendered from the fixture
 * tests/unit/report/dossier.json into a temporary directory (kept when KC_KEEP_PDF is set),
 * then read back with poppler's pdftotext and pdffonts and, for the QR code, rasterised with
 * pdftoppm and decoded with zbarimg. Tests needing a missing tool are skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "expect.h"
#include "report/pdf_doc.h"
#include "report/slips.h"

#define STATUS_URL "https://motcua.hanoi.gov.vn/tra-cuu/HN-D01-170301-0001"

/* ---- assertions that print both values ------------------------------------------------- */

/* ---- fixture --------------------------------------------------------------------------- */

typedef struct fx {
  char dir[512];
  json_t *dossier;
  bool tools; /* pdftotext, pdffonts, pdfinfo, pdftoppm and zbarimg are all there */
} fx;

static fx F;

static int setup(void **state)
{
  (void)state;
  const char *src = getenv("KC_SOURCE_DIR"), *tmp = getenv("TMPDIR");
  if (!src) {
    print_error("KC_SOURCE_DIR is not set (run through ctest)\n");
    return -1;
  }
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/unit/report/dossier.json", src);
  json_error_t je;
  F.dossier = json_load_file(path, 0, &je);
  if (!F.dossier) {
    print_error("%s:%d: %s\n", path, je.line, je.text);
    return -1;
  }
  snprintf(F.dir, sizeof F.dir, "%s/kc-test-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(F.dir))
    return -1;
  F.tools = system("{ command -v pdftotext && command -v pdffonts && command -v pdfinfo && "
                   "command -v pdftoppm && command -v zbarimg; } >/dev/null 2>&1") == 0;
  if (!F.tools)
    print_message("poppler-utils or zbar-tools missing: the PDF checks are skipped\n");
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  json_decref(F.dossier);
  if (getenv("KC_KEEP_PDF")) {
    print_message("PDFs kept in %s\n", F.dir);
  } else {
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", F.dir);
    if (system(cmd) != 0)
      return -1;
  }
  /* Give back the fonts and caches, so that LeakSanitizer sees them freed. */
  kc_pdf_shutdown();
  return 0;
}

/* Writes a PDF under the temporary directory; returns its path (static storage per name). */
static const char *save(const char *name, char *pdf, size_t len)
{
  static char path[16][1100];
  static int next;
  char *p = path[next++ % 16];
  snprintf(p, 1100, "%s/%s.pdf", F.dir, name);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(pdf, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
  free(pdf);
  return p;
}

/* The standard output of a shell command (malloc'd; free it), its exit status in *status. */
static char *run(int *status, const char *fmt, ...) KC_PRINTF(2, 3);
static char *run(int *status, const char *fmt, ...)
{
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t len = 0, cap = 4096;
  char *out = malloc(cap);
  size_t n;
  while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
    len += n;
    if (cap - len < 2)
      out = realloc(out, cap *= 2);
  }
  out[len] = 0;
  int st = pclose(p);
  if (status)
    *status = st;
  return out;
}

/* Makes every run of spaces (and of newlines too when `lines` is false) one space. */
static void squeeze(char *t, bool lines)
{
  char *w = t;
  for (char *r = t; *r; r++) {
    char c = !lines && (*r == '\n' || *r == '\f') ? ' ' : *r;
    if (!(c == ' ' && w > t && w[-1] == ' '))
      *w++ = c;
  }
  *w = 0;
}

/* The text of pages [first, last] (0: all) as pdftotext -layout gives it, runs of spaces
 * squeezed (the layout mode pads columns and justified lines). When `flat` is set, followed
 * by the text in reading order with all white space squeezed, so that a phrase wrapped over
 * two lines (of a paragraph or of a table cell) is found too. malloc'd; free it. */
static char *text_of(const char *pdf, int first, int last, bool flat)
{
  int st;
  char range[64] = "";
  if (first)
    snprintf(range, sizeof range, "-f %d -l %d", first, last);
  char *t = run(&st, "pdftotext -layout %s '%s' - 2>/dev/null", range, pdf);
  assert_int_equal(st, 0);
  squeeze(t, true);
  if (!flat)
    return t;
  char *f = run(&st, "pdftotext %s '%s' - 2>/dev/null", range, pdf);
  assert_int_equal(st, 0);
  squeeze(f, false);
  size_t nt = strlen(t), nf = strlen(f);
  t = realloc(t, nt + nf + 16);
  static const char sep[] = "\n==== flat:\n";
  memcpy(t + nt, sep, sizeof sep - 1);
  memcpy(t + nt + sizeof sep - 1, f, nf + 1);
  free(f);
  return t;
}

/* True when s holds a combining mark (U+0300..U+036F): pdftotext gave NFD, not NFC. */
static bool has_combining(const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((p[0] == 0xCC && p[1] >= 0x80) || (p[0] == 0xCD && p[1] >= 0x80 && p[1] <= 0xAF))
      return true;
  return false;
}

static int page_count(const char *pdf)
{
  int st, n = 0;
  char *info = run(&st, "pdfinfo '%s' 2>/dev/null", pdf);
  const char *p = strstr(info, "Pages:");
  if (p)
    n = atoi(p + 6);
  free(info);
  return n;
}

/* Checks that every font is embedded Liberation Serif. */
static void expect_fonts(const char *pdf)
{
  int st;
  char *out = run(&st, "pdffonts '%s' 2>/dev/null", pdf);
  assert_int_equal(st, 0);
  char *save_ptr = NULL, *line = strtok_r(out, "\n", &save_ptr);
  assert_non_null(line);
  const char *emb = strstr(line, " emb ");
  assert_non_null(emb);
  size_t col = (size_t)(emb - line) + 1;
  int fonts = 0;
  strtok_r(NULL, "\n", &save_ptr); /* the dashes */
  while ((line = strtok_r(NULL, "\n", &save_ptr))) {
    fonts++;
    if (!strstr(line, "+LiberationSerif") || strlen(line) < col + 3 ||
        strncmp(line + col, "yes", 3)) {
      print_error("%s: font not embedded Liberation Serif: %s\n", pdf, line);
      fail();
    }
  }
  assert_true(fonts >= 1);
  free(out);
}

/* Checks that no word lies outside the text box (left margin 30 mm, right margin 15 mm). */
static void expect_inside_margins(const char *pdf)
{
  int st;
  char *out = run(&st, "pdftotext -bbox '%s' - 2>/dev/null", pdf);
  assert_int_equal(st, 0);
  const char *p = strstr(out, "<page width=\"");
  assert_non_null(p);
  double pw = atof(p + 13), left = 30 * 72 / 25.4, right = pw - 15 * 72 / 25.4;
  int words = 0;
  for (p = strstr(out, "<word "); p; p = strstr(p + 1, "<word ")) {
    double x0, y0, x1, y1;
    assert_int_equal(
        sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1),
        4);
    if (x0 < left - 0.5 || x1 > right + 0.5) {
      const char *e = strchr(p, '\n');
      print_error("%s: word outside the margins (%.1f..%.1f, box %.1f..%.1f): %.*s\n", pdf, x0, x1,
                  left, right, e ? (int)(e - p) : 80, p);
      fail();
    }
    words++;
  }
  assert_true(words > 50);
  free(out);
}

/* ---- the slips ------------------------------------------------------------------------- */

static const char *const tricky[] = {"Nguyễn Thị Ngọc Ánh", "Phường Quán Thánh", "ỹ ự ẫ Đ"};

/* Checks what every slip shares: header, fonts, NFC text, no "(null)". */
static char *check_common(const char *pdf, const char *title, const char *form_note,
                          const char *date)
{
  char *t = text_of(pdf, 0, 0, true);
  expect_contains(t, "UBND THÀNH PHỐ HÀ NỘI");
  expect_contains(t, "UBND QUẬN BA ĐÌNH");
  expect_contains(t, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  expect_contains(t, "Độc lập - Tự do - Hạnh phúc");
  expect_contains(t, title);
  expect_contains(t, form_note);
  expect_contains(t, date);
  expect_contains(t, tricky[0]);
  expect_lacks(t, "(null)");
  assert_false(has_combining(t));
  expect_fonts(pdf);
  return t;
}

static void test_receipt(void **state)
{
  (void)state;
  char *pdf;
  size_t len;
  /* Printed at reception: before the apology of the fixture moved the appointment. */
  json_t *d = json_deep_copy(F.dossier);
  json_object_set_new(d, "due_date", json_string("2017-03-06"));
  json_object_set_new(d, "due_at", json_string("2017-03-06T17:00:00+07:00"));
  expect_err(kc_slip_receipt(d, STATUS_URL, NULL, &pdf, &len), KC_OK);
  json_decref(d);
  assert_true(len > 1000);
  assert_memory_equal(pdf, "%PDF-", 5);
  const char *path = save("receipt", pdf, len);
  if (!F.tools)
    skip();

  char *t =
      check_common(path, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                   "Mẫu số 01 (Thông tư 01/2018/TT-VPCP)", "Hà Nội, ngày 01 tháng 3 năm 2017");
  for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++)
    expect_contains(t, tricky[i]);
  expect_contains(t, "Mã hồ sơ: HN-D01-170301-0001");
  expect_contains(t, "Người tiếp nhận hồ sơ: Trần Thị Bình");
  expect_contains(t, "Số CMND/CCCD: 001185012345");
  expect_contains(t, "Email: …………"); /* null */
  expect_contains(t, "Cấp giấy chứng nhận đăng ký hộ kinh doanh");
  expect_contains(t, "Biên bản họp nhóm cá nhân (A&B <thành lập>)"); /* not markup */
  expect_lacks(t, "Hợp đồng thuê nhà chưa nộp");                     /* received: false */
  expect_contains(t, "3 ngày làm việc");
  expect_contains(t, "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 01 tháng 3 năm 2017");
  expect_contains(t, "Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 06 tháng 3 năm 2017");
  expect_contains(t, "Hình thức nộp hồ sơ: Trực tiếp");
  expect_contains(t, "NGƯỜI NỘP HỒ SƠ");
  expect_contains(t, "NGƯỜI TIẾP NHẬN");
  expect_contains(t, "Quét mã để tra cứu tình trạng hồ sơ");
  expect_contains(t, STATUS_URL);
  free(t);
  assert_int_equal(page_count(path), 1);

  /* The QR code, rasterised at 150 dpi, decodes to exactly the status URL. */
  int st;
  char *q = run(&st,
                "pdftoppm -r 150 -png -f 1 -l 1 -singlefile '%s' '%s/receipt-p1' && "
                "zbarimg --raw -q '%s/receipt-p1.png' 2>/dev/null",
                path, F.dir, F.dir);
  assert_int_equal(st, 0);
  assert_string_equal(q, STATUS_URL "\n");
  free(q);

  /* Printed again after the apology: still the appointment made at reception. */
  expect_err(kc_slip_receipt(F.dossier, STATUS_URL, NULL, &pdf, &len), KC_OK);
  t = text_of(save("receipt-reprint", pdf, len), 0, 0, true);
  expect_contains(t, "Ngày hẹn trả kết quả: …… giờ …… phút, ngày 06 tháng 3 năm 2017");
  free(t);

  /* The PDF's metadata. */
  q = run(&st, "pdfinfo '%s' 2>/dev/null", path);
  expect_contains(q, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
  expect_contains(q, "Creator:         kycuong");
  expect_contains(q, "595.276 x 841.89 pts (A4)");
  free(q);
}

static void test_supplement(void **state)
{
  (void)state;
  char *pdf;
  size_t len;
  expect_err(kc_slip_supplement(F.dossier, 1, NULL, &pdf, &len), KC_OK);
  const char *path = save("supplement", pdf, len);
  expect_err(kc_slip_supplement(F.dossier, 2, NULL, &pdf, &len), KC_ENOTFOUND);
  expect_err(kc_slip_supplement(F.dossier, 0, NULL, &pdf, &len), KC_ENOTFOUND);
  if (!F.tools)
    skip();
  /* No title in rule.forms.supplement: the default one. February keeps its leading zero. */
  char *t =
      check_common(path, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                   "Mẫu số 02 (Thông tư 01/2018/TT-VPCP)", "Hà Nội, ngày 03 tháng 02 năm 2017");
  expect_contains(t, "Kính gửi: Ông/Bà Nguyễn Thị Ngọc Ánh");
  expect_contains(t, "Phường Quán Thánh");
  expect_contains(t, "1. Bản sao giấy tờ chứng thực cá nhân có chứng thực");
  expect_contains(t, "2. Hợp đồng thuê nhà ỹ ự ẫ Đ");
  expect_contains(t, "Lý do: Bản sao chưa được chứng thực.");
  expect_contains(t, "không tính vào thời hạn giải quyết");
  expect_contains(t, "TM. BỘ PHẬN TIẾP NHẬN VÀ TRẢ");
  expect_contains(t, "Trần Thị Bình");
  free(t);
}

static void test_refusal(void **state)
{
  (void)state;
  char *pdf;
  size_t len;
  kc_slip_opts o = {.date = "2017-03-02T08:00:00+07:00", .signer_title = "Người tiếp nhận"};
  expect_err(kc_slip_refusal(F.dossier, &o, &pdf, &len), KC_OK);
  const char *path = save("refusal", pdf, len);
  if (!F.tools)
    skip();
  char *t =
      check_common(path, "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
                   "Mẫu số 03 (Thông tư 01/2018/TT-VPCP)", "Hà Nội, ngày 02 tháng 3 năm 2017");
  expect_contains(t, "- Thủ tục không thuộc thẩm quyền giải quyết của UBND quận Ba Đình.");
  expect_contains(t, "- Hồ sơ đề nghị đã được nộp tại Sở Kế hoạch và Đầu tư.");
  expect_contains(t, "NGƯỜI TIẾP NHẬN"); /* the signer's title, in capitals */
  free(t);
}

static void test_apology(void **state)
{
  (void)state;
  char *pdf;
  size_t len;
  expect_err(kc_slip_apology(F.dossier, 1, NULL, &pdf, &len), KC_OK);
  const char *path = save("apology", pdf, len);
  expect_err(kc_slip_apology(F.dossier, 7, NULL, &pdf, &len), KC_ENOTFOUND);
  if (!F.tools)
    skip();
  /* The title comes from rule.forms.apology, capitalised. */
  char *t =
      check_common(path, "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                   "Mẫu số 04 (Thông tư 01/2018/TT-VPCP)", "Hà Nội, ngày 05 tháng 3 năm 2017");
  expect_contains(t, "Kính gửi: Ông/Bà Nguyễn Thị Ngọc Ánh");
  expect_contains(t, "Số điện thoại: 0912345678");
  expect_contains(t, "Phường Quán Thánh");
  expect_contains(t, "Ngày 01 tháng 3 năm 2017");
  expect_contains(t, "ngày 06 tháng 3 năm 2017");
  expect_contains(t, "Cần lấy ý kiến của Sở Kế hoạch và Đầu tư.");
  expect_contains(t, "xin lỗi Ông/Bà vì sự chậm trễ này và hẹn trả kết quả vào ngày 10 tháng 3");
  expect_contains(t, "Phạm Văn Dũng");
  free(t);
}

static void test_control(void **state)
{
  (void)state;
  char *pdf;
  size_t len;
  kc_slip_opts o = {.date = "2017-03-07"};
  expect_err(kc_slip_control(F.dossier, &o, &pdf, &len), KC_OK);
  const char *path = save("control", pdf, len);
  if (!F.tools)
    skip();
  char *t =
      check_common(path, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                   "Mẫu số 05 (Thông tư 01/2018/TT-VPCP)", "Hà Nội, ngày 07 tháng 3 năm 2017");
  expect_contains(t, "Mã hồ sơ: HN-D01-170301-0001");
  expect_contains(t, "(Kèm theo hồ sơ của: Nguyễn Thị Ngọc Ánh)");
  expect_contains(t, "TÊN CƠ QUAN/BỘ");
  expect_contains(t, "Trước hạn");
  expect_contains(t, "Đúng hạn");
  expect_contains(t, "Quá hạn");
  expect_contains(t, "1. Bộ phận một cửa quận");
  expect_contains(t, "14 giờ 30 phút,"); /* wrapped in its cell */
  expect_contains(t, "ngày 01/03/2017");
  expect_contains(t, "Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 10 tháng 3 năm 2017");
  free(t);
  assert_int_equal(page_count(path), 1);
}

/* A control slip of 60 steps continues over pages: numbered from page 2, header repeated. */
static void test_control_pages(void **state)
{
  (void)state;
  json_t *d = json_deep_copy(F.dossier);
  json_t *steps = json_array();
  for (int i = 1; i <= 60; i++) {
    char unit[200], note[200];
    snprintf(unit, sizeof unit, "Phòng chuyên môn số %d thuộc UBND quận Ba Đình", i);
    snprintf(note, sizeof note, "Bước %d", i);
    json_array_append_new(
        steps, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "seq", i, "unit_name", unit,
                         "given_by_name", "Nguyễn Thị Ngọc Ánh", "received_by_name", "Lê Văn Cường",
                         "started_at", "2017-03-01T14:30:00+07:00", "result",
                         i % 3 ? "on_time" : "late", "note", note, "ended_at", NULL));
  }
  json_object_set_new(d, "steps", steps);
  char *pdf;
  size_t len;
  expect_err(kc_slip_control(d, NULL, &pdf, &len), KC_OK);
  json_decref(d);
  const char *path = save("control-60", pdf, len);
  if (!F.tools)
    skip();
  int pages = page_count(path);
  assert_true(pages >= 3);
  char *all = text_of(path, 0, 0, true);
  expect_contains(all, "60. Phòng chuyên môn số 60");
  expect_contains(all, "Hà Nội, ngày …… tháng …… năm ……"); /* no date given */
  free(all);
  for (int p = 1; p <= pages; p++) {
    char *t = text_of(path, p, p, true);
    const char *s = t;
    while (*s == ' ' || *s == '\n')
      s++;
    char first[16] = "";
    sscanf(s, "%15s", first);
    if (p == 1) {
      expect_contains(first, "Mẫu"); /* no number on page 1 */
    } else {
      char want[16];
      snprintf(want, sizeof want, "%d", p);
      if (strcmp(first, want)) {
        print_error("page %d starts with \"%s\", expected its number\n", p, first);
        fail();
      }
      expect_contains(t, "TÊN CƠ QUAN/BỘ"); /* the header row, repeated */
      expect_contains(t, "NGƯỜI GIAO");
    }
    free(t);
  }
}

/* Very long text wraps inside the margins, in paragraphs and in table cells, even a "word"
 * longer than a line; a row taller than a page splits between pages. */
static void test_long_text_wraps(void **state)
{
  (void)state;
  json_t *d = json_deep_copy(F.dossier);
  char token[200], name[2000] = "", address[400];
  memset(token, 'X', 150); /* no hyphen: pdftotext would join it away at a line end */
  memcpy(token, "HN", 2);
  token[150] = 0;
  snprintf(address, sizeof address, "Số 1 %s, Phường Quán Thánh", token);
  for (int i = 0; i < 25; i++)
    strcat(name, "Giấy tờ có tên rất dài ỹ ự ẫ Đ ");
  json_object_set_new(json_object_get(d, "applicant"), "address", json_string(address));
  json_object_set_new(json_object_get(d, "applicant"), "name",
                      json_string("Nguyễn Thị Ngọc Ánh Tôn Nữ Hoàng Phương Thảo Nguyên Hạnh "
                                  "Công Huyền Tôn Nữ Bảo Ngọc Ánh Dương Thị Minh Khai"));
  json_t *comps = json_object_get(d, "components");
  json_array_append_new(comps,
                        json_pack("{s:s, s:i, s:i}", "name", name, "originals", 1, "copies", 2));
  json_array_append_new(comps,
                        json_pack("{s:s, s:i, s:i}", "name", token, "originals", 1, "copies", 0));
  char *pdf;
  size_t len;
  expect_err(kc_slip_receipt(d, STATUS_URL, NULL, &pdf, &len), KC_OK);
  const char *path = save("receipt-long", pdf, len);

  /* A table row taller than a page. */
  kc_pdf_doc *doc = kc_pdf_new();
  kc_pdf_set_title(doc, "Bảng dài", NULL);
  const kc_pdf_col cols[] = {{1, KC_PDF_ALIGN_LEFT}, {3, KC_PDF_ALIGN_LEFT}};
  kc_pdf_table_begin(doc, cols, 2, 0);
  const char *head[] = {"STT", "Nội dung"};
  kc_pdf_table_header(doc, head);
  char *huge = malloc(200 * 64 + 1);
  huge[0] = 0;
  for (int i = 0; i < 200; i++)
    strcat(huge, "Dòng chữ rất dài ỹ ự ẫ Đ xuống ");
  const char *row[] = {"1", huge};
  kc_pdf_table_row(doc, row);
  const char *row2[] = {"2", "Kết thúc"};
  kc_pdf_table_row(doc, row2);
  free(huge);
  expect_err(kc_pdf_render(doc, &pdf, &len), KC_OK);
  kc_pdf_free(doc);
  const char *tall = save("tall-row", pdf, len);
  json_decref(d);
  if (!F.tools)
    skip();

  expect_inside_margins(path);
  int st;
  char *raw = run(&st, "pdftotext '%s' - 2>/dev/null | tr -d ' \\n'", path);
  expect_contains(raw, token); /* broken inside the word, nothing lost */
  free(raw);
  char *t = text_of(path, 0, 0, true);
  expect_lacks(t, "X-"); /* broken without an added hyphen */
  expect_contains(t, "Tôn Nữ Hoàng Phương Thảo");
  expect_lacks(t, "(null)");
  free(t);

  expect_inside_margins(tall);
  assert_true(page_count(tall) >= 2);
  t = text_of(tall, 2, 2, true);
  expect_contains(t, "Nội dung"); /* header repeated above the rest of the row */
  free(t);
  t = text_of(tall, 0, 0, true);
  expect_contains(t, "Kết thúc");
  free(t);
}

/* Every field missing: dotted blanks, never "(null)", and no crash. */
static void test_empty_dossier(void **state)
{
  (void)state;
  json_t *d = json_pack("{s:n, s:{}, s:[{s:i}], s:[{s:i}], s:n}", "code", "applicant",
                        "supplements", "seq", 1, "apologies", "seq", 1, "steps");
  char *pdf[5];
  size_t len[5];
  expect_err(kc_slip_receipt(d, NULL, NULL, &pdf[0], &len[0]), KC_OK);
  expect_err(kc_slip_supplement(d, 1, NULL, &pdf[1], &len[1]), KC_OK);
  expect_err(kc_slip_refusal(d, NULL, &pdf[2], &len[2]), KC_OK);
  expect_err(kc_slip_apology(d, 1, NULL, &pdf[3], &len[3]), KC_OK);
  expect_err(kc_slip_control(d, NULL, &pdf[4], &len[4]), KC_OK);
  json_decref(d);
  static const char *const names[] = {"empty-receipt", "empty-supplement", "empty-refusal",
                                      "empty-apology", "empty-control"};
  const char *paths[5];
  for (int i = 0; i < 5; i++)
    paths[i] = save(names[i], pdf[i], len[i]);

  json_t *not_object = json_array();
  expect_err(kc_slip_receipt(not_object, NULL, NULL, &pdf[0], &len[0]), KC_EFIELD);
  expect_err(kc_slip_control(NULL, NULL, &pdf[0], &len[0]), KC_EFIELD);
  json_decref(not_object);
  if (!F.tools)
    skip();
  for (int i = 0; i < 5; i++) {
    char *t = text_of(paths[i], 0, 0, true);
    expect_contains(t, "…………");
    expect_contains(t, "ngày …… tháng …… năm ……");
    expect_lacks(t, "(null)");
    expect_fonts(paths[i]);
    free(t);
  }
}

/* A status URL too long for a QR code is refused, and nothing is returned. */
static void test_qr_too_long(void **state)
{
  (void)state;
  char *url = malloc(4001);
  memset(url, 'a', 4000);
  url[4000] = 0;
  char *pdf = (char *)"untouched";
  size_t len = 42;
  expect_err(kc_slip_receipt(F.dossier, url, NULL, &pdf, &len), KC_EFIELD);
  assert_string_equal(pdf, "untouched");
  assert_int_equal(len, 42);
  free(url);
}

/* The template by itself: number, summary, lists, "Nơi nhận:", landscape, page breaks. */
static void test_letter(void **state)
{
  (void)state;
  kc_pdf_doc *doc = kc_pdf_new();
  kc_pdf_set_landscape(doc, true);
  kc_pdf_set_issuer(doc, NULL, "Ủy ban nhân dân thành phố Hà Nội");
  kc_pdf_set_number(doc, "69/KH-UBND");
  kc_pdf_set_place_date(doc, "Hà Nội", "ngày 20 tháng 3 năm 2017");
  kc_pdf_set_title(doc, "Kế hoạch", "Tăng cường kỷ luật, kỷ cương hành chính năm 2017");
  kc_pdf_para(doc, "Kính gửi: ", "Các sở, ban, ngành Thành phố", KC_PDF_CENTER);
  kc_pdf_paraf(doc, NULL, KC_PDF_INDENT, "Thực hiện Chỉ thị số %02d/CT-UBND ngày %s.", 9,
               "10/3/2017");
  kc_pdf_list_begin(doc, KC_PDF_LIST_BULLET);
  kc_pdf_list_item(doc, "Mục một");
  kc_pdf_list_item(doc, "Mục hai \xff hỏng"); /* invalid UTF-8 is replaced, not dropped */
  kc_pdf_page_break(doc);
  kc_pdf_space(doc, 10); /* dropped at the top of a page */
  kc_pdf_para(doc, NULL, "Trang thứ hai.", KC_PDF_RIGHT | KC_PDF_BOLD | KC_PDF_ITALIC);
  const char *recipients[] = {"Như trên;", "Lưu: VT, NC."};
  kc_pdf_signer s = {
      .authority = "TM. Ủy ban nhân dân", .title = "Chủ tịch", .name = "Nguyễn Đức Chung"};
  kc_pdf_closing(doc, recipients, 2, NULL, &s);
  char *pdf;
  size_t len;
  expect_err(kc_pdf_render(doc, &pdf, &len), KC_OK);
  kc_pdf_free(doc);
  const char *path = save("letter", pdf, len);
  if (!F.tools)
    skip();
  char *t = text_of(path, 0, 0, true);
  expect_contains(t, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI");
  expect_contains(t, "Số: 69/KH-UBND");
  expect_contains(t, "KẾ HOẠCH");
  expect_contains(t, "Tăng cường kỷ luật, kỷ cương hành chính năm 2017");
  expect_contains(t, "Kính gửi: Các sở, ban, ngành Thành phố");
  expect_contains(t, "Chỉ thị số 09/CT-UBND");
  expect_contains(t, "• Mục một");
  expect_contains(t, "Mục hai ? hỏng");
  expect_contains(t, "Nơi nhận:");
  expect_contains(t, "- Lưu: VT, NC.");
  expect_contains(t, "TM. ỦY BAN NHÂN DÂN");
  expect_contains(t, "CHỦ TỊCH");
  expect_contains(t, "Nguyễn Đức Chung");
  free(t);
  t = text_of(path, 2, 2, true);
  expect_contains(t, "Trang thứ hai.");
  free(t);
  int st;
  t = run(&st, "pdfinfo '%s' 2>/dev/null", path);
  expect_contains(t, "841.89 x 595.276 pts (A4)");
  free(t);
  assert_int_equal(page_count(path), 2);
  expect_fonts(path);
}

/* Several threads render at once (the server's workers do). */
static void *render_many(void *arg)
{
  int *failures = arg;
  for (int i = 0; i < 8; i++) {
    char *pdf = NULL;
    size_t len = 0;
    if (kc_slip_receipt(F.dossier, STATUS_URL, NULL, &pdf, &len) != KC_OK || len < 1000 ||
        memcmp(pdf, "%PDF-", 5))
      (*failures)++;
    free(pdf);
    if (kc_slip_control(F.dossier, NULL, &pdf, &len) != KC_OK)
      (*failures)++;
    free(pdf);
  }
  return NULL;
}

static void test_threads(void **state)
{
  (void)state;
  enum { N = 4 };
  pthread_t t[N];
  int failures[N] = {0};
  for (int i = 0; i < N; i++)
    assert_int_equal(pthread_create(&t[i], NULL, render_many, &failures[i]), 0);
  for (int i = 0; i < N; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(failures[i], 0);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_receipt),         cmocka_unit_test(test_supplement),
      cmocka_unit_test(test_refusal),         cmocka_unit_test(test_apology),
      cmocka_unit_test(test_control),         cmocka_unit_test(test_control_pages),
      cmocka_unit_test(test_long_text_wraps), cmocka_unit_test(test_empty_dossier),
      cmocka_unit_test(test_qr_too_long),     cmocka_unit_test(test_letter),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests_name("report/slips", tests, setup, teardown);
}
