/* Unit tests of src/base/csv.c: the RFC 4180 reader (separators, quoting, line ends, BOM,
 * UTF-8, limits and the line numbers of its errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/err.h"
#include "base/mem.h"
#include "expect.h"

/* ---- a collector that renders the records as "record@line:f1|f2|...\n" --------------------- */

typedef struct collect {
  char *s;
  size_t len, cap;
  size_t rows;
  size_t stop_at; /* return KC_ECONFLICT at this record; 0: never */
} collect;

static void cat(collect *c, const char *s, size_t n)
{
  if (c->len + n + 1 > c->cap) {
    c->cap = (c->len + n + 1) * 2;
    c->s = kc_xrealloc(c->s, c->cap);
  }
  memcpy(c->s + c->len, s, n);
  c->len += n;
  c->s[c->len] = 0;
}

static kc_err on_row(void *user, const kc_csv_row *row)
{
  collect *c = user;
  c->rows++;
  if (c->stop_at && row->record == c->stop_at)
    return KC_ECONFLICT;
  char head[64];
  int n = snprintf(head, sizeof head, "%zu@%zu:", row->record, row->line);
  cat(c, head, (size_t)n);
  for (size_t i = 0; i < row->nfields; i++) {
    if (i)
      cat(c, "|", 1);
    assert_int_equal(strlen(row->fields[i]), row->lens[i]);
    cat(c, row->fields[i], row->lens[i]);
  }
  cat(c, "\n", 1);
  return KC_OK;
}

/* Parses `text` with separator detection and checks the rendering of its records. */
static void check(const char *text, size_t len, char sep, const char *want)
{
  collect c = {0};
  kc_csv_error err = {0};
  kc_err e = kc_csv_parse(text, len, sep, on_row, &c, &err);
  if (e) {
    print_error("kc_csv_parse: %s at line %zu: %s\n", kc_err_code(e), err.line, err.msg);
    fail();
  }
  assert_string_equal(c.s ? c.s : "", want);
  free(c.s);
}

#define CHECK(lit, want) check(lit, sizeof lit - 1, 0, want)

/* Parses `text` expecting error `want`, at `line` in record `record`; returns nothing, checks
 * that the message holds `needle`. */
static void check_fails(const char *text, size_t len, kc_err want, size_t line, size_t record,
                        const char *needle)
{
  collect c = {0};
  kc_csv_error err = {0};
  expect_err(kc_csv_parse(text, len, 0, on_row, &c, &err), want);
  expect_i64(err.line, line);
  expect_i64(err.record, record);
  expect_contains(err.msg, needle);
  free(c.s);
}

#define FAILS(lit, want, line, record, needle)                                                     \
  check_fails(lit, sizeof lit - 1, want, line, record, needle)

/* ---- tests ------------------------------------------------------------------------------- */

static void test_plain(void **state)
{
  (void)state;
  CHECK("a,b,c\n1,2,3\n", "1@1:a|b|c\n2@2:1|2|3\n");
  CHECK("a,b,c\r\n1,2,3\r\n", "1@1:a|b|c\n2@2:1|2|3\n");
  CHECK("a,b\r\n1,2", "1@1:a|b\n2@2:1|2\n"); /* no line end at the end */
  CHECK("a,b\r1,2\r", "1@1:a|b\n2@2:1|2\n"); /* old Mac line ends */
  CHECK("Hà Nội,Đống Đa\n", "1@1:Hà Nội|Đống Đa\n");
}

static void test_empty_fields_and_lines(void **state)
{
  (void)state;
  CHECK("", "");
  CHECK("\xEF\xBB\xBF", "");
  CHECK("\n", "1@1:\n");
  CHECK("a,b,\n", "1@1:a|b|\n");
  CHECK(",,", "1@1:||\n");
  CHECK("a,b,", "1@1:a|b|\n");
  CHECK("a\n\nb\n", "1@1:a\n2@2:\n3@3:b\n");
  CHECK("a\r\n\r\n", "1@1:a\n2@2:\n"); /* an empty line stays a record; the last CRLF does not */
  CHECK("\"\",x", "1@1:|x\n");
}

static void test_quotes(void **state)
{
  (void)state;
  CHECK("\"a,b\",\"say \"\"hi\"\"\",c\n", "1@1:a,b|say \"hi\"|c\n");
  CHECK("\"\"\"\"\n", "1@1:\"\n");
  /* line ends inside quotes are kept as written and counted for the lines after them */
  CHECK("x,\"one\ntwo\r\nthree\"\ny,z\n", "1@1:x|one\ntwo\r\nthree\n2@4:y|z\n");
  CHECK("\"a\"\r\n\"b\"", "1@1:a\n2@2:b\n");
  /* a quote inside an unquoted field is literal, as Excel takes it */
  CHECK("5\" floppy,x\n", "1@1:5\" floppy|x\n");
}

static void test_bom(void **state)
{
  (void)state;
  CHECK("\xEF\xBB\xBFM\xC3\xA3,T\xC3\xAAn\r\n", "1@1:Mã|Tên\n");
  /* only at the very start: elsewhere U+FEFF is text */
  CHECK("a,\xEF\xBB\xBF"
        "b\n",
        "1@1:a|\xEF\xBB\xBF"
        "b\n");
}

static void test_semicolons(void **state)
{
  (void)state;
  const char excel[] = "\xEF\xBB\xBFMã thủ tục (code);Yêu cầu, điều kiện (requirements);Lệ phí\r\n"
                       "1.001193;\"Có \"\"giấy\"\"; bản chính\";50.000,5\r\n";
  assert_int_equal(kc_csv_detect_sep(excel, sizeof excel - 1), ';');
  CHECK("\xEF\xBB\xBFMã thủ tục (code);Yêu cầu, điều kiện (requirements);Lệ phí\r\n"
        "1.001193;\"Có \"\"giấy\"\"; bản chính\";50.000,5\r\n",
        "1@1:Mã thủ tục (code)|Yêu cầu, điều kiện (requirements)|Lệ phí\n"
        "2@2:1.001193|Có \"giấy\"; bản chính|50.000,5\n");
  /* a comma file whose titles hold semicolons inside quotes stays a comma file */
  assert_int_equal(kc_csv_detect_sep("\"a;b\",\"c;d\",e\n", strlen("\"a;b\",\"c;d\",e\n")), ',');
  assert_int_equal(kc_csv_detect_sep("a;b,c;d\n1,2,3,4", strlen("a;b,c;d\n1,2,3,4")), ';');
  assert_int_equal(kc_csv_detect_sep("a,b;c\n1;2;3;4;5", strlen("a,b;c\n1;2;3;4;5")),
                   ','); /* only the first record */
  assert_int_equal(kc_csv_detect_sep("single\n", strlen("single\n")), ',');
  assert_int_equal(kc_csv_detect_sep("", strlen("")), ',');
  /* a separator given explicitly wins */
  check("a;b,c\n", 6, ',', "1@1:a;b|c\n");
}

static void test_bad_text(void **state)
{
  (void)state;
  /* "Hà" in Windows-1258 (0xE0 alone) on line 3, in the third record */
  FAILS("a,b\n1,2\nH\xE0,3\n", KC_EFIELD, 3, 3, "UTF-8");
  /* inside a quoted field that began two lines earlier */
  FAILS("a\n\"x\ny\n\xC0\xAF\"\n", KC_EFIELD, 4, 2, "UTF-8"); /* overlong '/' */
  FAILS("a,\xED\xA0\x80\n", KC_EFIELD, 1, 1, "UTF-8");        /* a surrogate */
  FAILS("a,\xE1\xBA\n", KC_EFIELD, 1, 1, "UTF-8");            /* truncated ạ */
  FAILS("\xFF\xFE"
        "a\0,\0",
        KC_EFIELD, 1, 0, "UTF-16");
  FAILS("a,b\nc,d\0e\n", KC_EFIELD, 2, 2, "NUL");
  FAILS("a,\"b\0\"\n", KC_EFIELD, 1, 1, "NUL");
}

static void test_bad_quotes(void **state)
{
  (void)state;
  FAILS("a,b\nc,\"open\nstill\nopen", KC_EFIELD, 2, 2, "không được đóng");
  FAILS("\"ab\"c,d\n", KC_EFIELD, 1, 1, "sau dấu ngoặc kép");
  FAILS("x\n\"ab\" ,d\n", KC_EFIELD, 2, 2, "sau dấu ngoặc kép");
}

static void test_records_before_error_delivered(void **state)
{
  (void)state;
  collect c = {0};
  kc_csv_error err = {0};
  expect_err(kc_csv_parse("a\nb\n\"c", 6, 0, on_row, &c, &err), KC_EFIELD);
  assert_string_equal(c.s, "1@1:a\n2@2:b\n");
  free(c.s);
  /* err may be NULL */
  c = (collect){0};
  expect_err(kc_csv_parse("\"c", 2, 0, on_row, &c, NULL), KC_EFIELD);
  free(c.s);
}

static void test_callback_stops(void **state)
{
  (void)state;
  collect c = {.stop_at = 2};
  kc_csv_error err = {.line = 77};
  expect_err(kc_csv_parse("a\nb\nc\n", 6, 0, on_row, &c, &err), KC_ECONFLICT);
  expect_i64(c.rows, 2);
  expect_i64(err.line, 77); /* untouched */
  free(c.s);
}

static void test_limit_fields(void **state)
{
  (void)state;
  char buf[512];
  size_t n = 0;
  for (int i = 0; i < KC_CSV_MAX_FIELDS; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%d", i ? "," : "", i);
  collect c = {0};
  kc_csv_error err = {0};
  expect_err(kc_csv_parse(buf, n, 0, on_row, &c, &err), KC_OK);
  expect_i64(c.rows, 1);
  free(c.s);
  memmove(buf + 4, buf, n + 1);
  memcpy(buf, "x\ny,", 4); /* 65 fields on line 2 */
  c = (collect){0};
  expect_err(kc_csv_parse(buf, n + 4, 0, on_row, &c, &err), KC_ETOOLARGE);
  expect_i64(err.line, 2);
  expect_i64(err.record, 2);
  expect_contains(err.msg, "64");
  free(c.s);
}

static void test_limit_field_size(void **state)
{
  (void)state;
  size_t n = KC_CSV_MAX_FIELD;
  char *big = kc_xmalloc(n + 16);
  /* exactly the limit, unquoted and quoted */
  memset(big, 'a', n);
  collect c = {0};
  kc_csv_error err = {0};
  expect_err(kc_csv_parse(big, n, 0, on_row, &c, &err), KC_OK);
  free(c.s);
  big[0] = '"';
  memset(big + 1, 'b', n);
  big[n + 1] = '"';
  c = (collect){0};
  expect_err(kc_csv_parse(big, n + 2, 0, on_row, &c, &err), KC_OK);
  free(c.s);
  /* a doubled quote counts as the one byte it stands for */
  big[1] = '"';
  big[2] = '"';
  c = (collect){0};
  expect_err(kc_csv_parse(big, n + 2, 0, on_row, &c, &err), KC_OK);
  free(c.s);
  /* one byte over */
  memset(big, 'a', n + 1);
  c = (collect){0};
  expect_err(kc_csv_parse(big, n + 1, 0, on_row, &c, &err), KC_ETOOLARGE);
  expect_i64(err.line, 1);
  expect_contains(err.msg, "102400");
  free(c.s);
  /* over the limit on a later line of a quoted field */
  big[0] = '"';
  big[1] = '\n';
  big[n + 1] = 'a';
  big[n + 2] = '"';
  c = (collect){0};
  expect_err(kc_csv_parse(big, n + 3, 0, on_row, &c, &err), KC_ETOOLARGE);
  expect_i64(err.line, 2);
  free(c.s);
  free(big);
}

static void test_limit_rows(void **state)
{
  (void)state;
  size_t n = (size_t)KC_CSV_MAX_ROWS * 2;
  char *text = kc_xmalloc(n + 2);
  for (size_t i = 0; i < n; i += 2)
    memcpy(text + i, "a\n", 2);
  collect c = {0};
  kc_csv_error err = {0};
  expect_err(kc_csv_parse(text, n, 0, on_row, &c, &err), KC_OK);
  expect_i64(c.rows, KC_CSV_MAX_ROWS);
  free(c.s);
  memcpy(text + n, "b\n", 2);
  c = (collect){0};
  expect_err(kc_csv_parse(text, n + 2, 0, on_row, &c, &err), KC_ETOOLARGE);
  expect_i64(c.rows, KC_CSV_MAX_ROWS);
  expect_i64(err.line, KC_CSV_MAX_ROWS + 1);
  expect_contains(err.msg, "100000");
  free(c.s);
  free(text);
}

/* ---- the writer ----------------------------------------------------------------------------- */

static const char *put1(kc_strbuf *b, const char *s, kc_csv_cell kind)
{
  kc_strbuf_reset(b);
  kc_csv_put(b, s, strlen(s), kind);
  return b->buf;
}

/* What a spreadsheet would run as a formula is prefixed with an apostrophe, inside the quotes
 * when the field needs quoting; kycuong's own numbers are left alone. */
static void test_write_neutralises_formulas(void **state)
{
  (void)state;
  kc_strbuf b = KC_STRBUF_INIT;
  assert_string_equal(put1(&b, "=HYPERLINK(\"http://x\")", KC_CSV_TEXT),
                      "\"'=HYPERLINK(\"\"http://x\"\")\"");
  assert_string_equal(put1(&b, "+84 912", KC_CSV_TEXT), "'+84 912");
  assert_string_equal(put1(&b, "-1+2", KC_CSV_TEXT), "'-1+2");
  assert_string_equal(put1(&b, "@SUM(A1)", KC_CSV_TEXT), "'@SUM(A1)");
  assert_string_equal(put1(&b, "\tx", KC_CSV_TEXT), "'\tx");
  assert_string_equal(put1(&b, "=a,b", KC_CSV_TEXT), "\"'=a,b\"");
  assert_string_equal(put1(&b, "-1", KC_CSV_NUMBER), "-1");
  assert_string_equal(put1(&b, "Hồ sơ; trễ hạn", KC_CSV_TEXT), "\"Hồ sơ; trễ hạn\"");
  assert_string_equal(put1(&b, "", KC_CSV_TEXT), "");
  kc_strbuf_release(&b);
}

/* Text that Excel would turn into a number keeps its zeros and dots. */
static void test_write_keeps_codes_as_text(void **state)
{
  (void)state;
  kc_strbuf b = KC_STRBUF_INIT;
  assert_string_equal(put1(&b, "1.000890", KC_CSV_TEXT), "\"=\"\"1.000890\"\"\"");
  assert_string_equal(put1(&b, "0912345678", KC_CSV_TEXT), "\"=\"\"0912345678\"\"\"");
  assert_string_equal(put1(&b, "1.000890", KC_CSV_NUMBER), "1.000890");
  assert_string_equal(put1(&b, "1.000890 (cũ)", KC_CSV_TEXT), "1.000890 (cũ)");
  assert_string_equal(put1(&b, "2,5", KC_CSV_NUMBER), "\"2,5\"");
  kc_strbuf_release(&b);
}

/* Whatever the writer produced reads back, after kc_csv_unprotect, as the text it was given. */
static void test_write_round_trip(void **state)
{
  (void)state;
  static const char *const texts[] = {
      "=1+1",     "1.000890", "0912345678", "'=quoted already",         "-",
      "@",        "a\"b",     "x\r\ny",     "Giấy chứng nhận; bản sao", "'plain apostrophe",
      "=\"1.2\"", "",
  };
  kc_strbuf b = KC_STRBUF_INIT;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    kc_strbuf_reset(&b);
    kc_csv_put(&b, texts[i], strlen(texts[i]), KC_CSV_TEXT);
    kc_strbuf_addstr(&b, ",end\r\n");
    collect c = {0};
    kc_csv_error err = {0};
    expect_err(kc_csv_parse(b.buf, b.len, ',', on_row, &c, &err), KC_OK);
    /* on_row rendered "1@1:field|end\n"; take the field back out of it. */
    const char *f = strchr(c.s, ':') + 1;
    const char *bar = strstr(f, "|end\n");
    assert_non_null(bar);
    size_t n = (size_t)(bar - f);
    kc_csv_unprotect(&f, &n);
    if (n != strlen(texts[i]) || memcmp(f, texts[i], n)) {
      print_error("text %zu: wrote %s, read back %.*s\n", i, b.buf, (int)n, f);
      fail();
    }
    free(c.s);
  }
  kc_strbuf_release(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain),
      cmocka_unit_test(test_empty_fields_and_lines),
      cmocka_unit_test(test_quotes),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_semicolons),
      cmocka_unit_test(test_bad_text),
      cmocka_unit_test(test_bad_quotes),
      cmocka_unit_test(test_records_before_error_delivered),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_limit_fields),
      cmocka_unit_test(test_limit_field_size),
      cmocka_unit_test(test_limit_rows),
      cmocka_unit_test(test_write_neutralises_formulas),
      cmocka_unit_test(test_write_keeps_codes_as_text),
      cmocka_unit_test(test_write_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
