/* Unit tests of src/base/jsonw.c: shapes and commas, escaping (control characters, quotes,
 * backslashes, UTF-8 passed through, ill-formed UTF-8 replaced), integers, the size cap, and
 * byte-for-byte agreement with jansson's json_dumps(JSON_COMPACT) on random strings and
 * random documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/utf8.h"

/* ---- helpers ----------------------------------------------------------------------------- */

/* Fails, printing both texts, unless the writer holds exactly `expected` (n bytes). */
static void expect_text_n(kc_jsonw *w, const char *expected, size_t n, const char *where)
{
  size_t len;
  const char *got = kc_jsonw_data(w, &len);
  if (!got || len != n || memcmp(got, expected, n)) {
    print_error("%s: wrote [%.*s] (%zu bytes), expected [%.*s] (%zu bytes)\n", where,
                got ? (int)len : 6, got ? got : "(null)", got ? len : 0, (int)n, expected, n);
    fail();
  }
}

#define expect_text(w, expected) expect_text_n((w), (expected), strlen(expected), #w)

/* What jansson prints for the value. */
static char *jansson_dump(json_t *v)
{
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(v);
  assert_non_null(s);
  return s;
}

/* xorshift64*: reproducible random numbers. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Du;
}

static unsigned rnd_below(unsigned n)
{
  return (unsigned)(rnd() % n);
}

/* A random code point, weighted towards what needs care: controls, '"', '\\', '/', DEL,
 * Vietnamese letters, U+2028, the edges of each UTF-8 length, astral planes. */
static uint32_t rnd_cp(void)
{
  static const uint32_t special[] = {0x00,   0x01,   0x08,   0x09,   0x0A,    0x0C,    0x0D,
                                     0x1F,   0x20,   '"',    '\\',   '/',     0x7F,    0x80,
                                     0x9F,   0xA0,   0x7FF,  0x800,  0x2028,  0x2029,  0xD7FF,
                                     0xE000, 0xFEFF, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
  switch (rnd_below(6)) {
  case 0: return special[rnd_below(sizeof special / sizeof *special)];
  case 1: return rnd_below(0x20);
  case 2: return 0x20 + rnd_below(0x60);
  case 3: return 0x1EA0 + rnd_below(0x5A); /* Vietnamese letters with two marks */
  case 4: {
    uint32_t cp = rnd_below(0x10000);
    return cp >= 0xD800 && cp <= 0xDFFF ? 0xE9 : cp;
  }
  default: return 0x10000 + rnd_below(0x100000);
  }
}

/* A random valid UTF-8 string of up to max_cps code points into buf; returns its length. */
static size_t rnd_utf8(char *buf, size_t max_cps, bool allow_nul)
{
  size_t n = 0, k = rnd_below((unsigned)max_cps + 1);
  for (size_t i = 0; i < k; i++) {
    uint32_t cp = rnd_cp();
    if (!cp && !allow_nul)
      cp = 'x';
    n += kc_utf8_encode(cp, buf + n);
  }
  return n;
}

/* ---- shapes ------------------------------------------------------------------------------- */

static void test_empty_and_scalars(void **state)
{
  (void)state;
  kc_jsonw w;
  kc_jsonw_init(&w, 0, 1 << 20);
  expect_text(&w, "");
  kc_jsonw_object_begin(&w);
  kc_jsonw_object_end(&w);
  expect_text(&w, "{}");
  kc_jsonw_free(&w);
  kc_jsonw_array_begin(&w);
  kc_jsonw_array_end(&w);
  expect_text(&w, "[]");
  kc_jsonw_free(&w);
  kc_jsonw_int(&w, 42);
  expect_text(&w, "42");
  kc_jsonw_free(&w);
  kc_jsonw_str(&w, NULL);
  expect_text(&w, "null");
  kc_jsonw_free(&w);
  kc_jsonw_strn(&w, NULL, 0);
  expect_text(&w, "\"\"");
  kc_jsonw_free(&w);
}

static void test_nesting_and_commas(void **state)
{
  (void)state;
  kc_jsonw w;
  kc_jsonw_init(&w, 4, 1 << 20); /* tiny first buffer: the writes must grow it */
  kc_jsonw_object_begin(&w);
  kc_jsonw_key(&w, "items");
  kc_jsonw_array_begin(&w);
  for (int i = 0; i < 3; i++) {
    kc_jsonw_object_begin(&w);
    kc_jsonw_member_int(&w, "id", i);
    kc_jsonw_member_str(&w, "name", i == 1 ? NULL : "x");
    kc_jsonw_member_bool(&w, "ok", i == 2);
    kc_jsonw_member_null(&w, "n");
    kc_jsonw_key(&w, "e");
    kc_jsonw_array_begin(&w);
    kc_jsonw_array_end(&w);
    kc_jsonw_object_end(&w);
  }
  kc_jsonw_array_begin(&w);
  kc_jsonw_int(&w, -1);
  kc_jsonw_object_begin(&w);
  kc_jsonw_object_end(&w);
  kc_jsonw_bool(&w, false);
  kc_jsonw_array_end(&w);
  kc_jsonw_array_end(&w);
  kc_jsonw_member_int(&w, "total_count", 3);
  kc_jsonw_object_end(&w);
  expect_text(&w, "{\"items\":[{\"id\":0,\"name\":\"x\",\"ok\":false,\"n\":null,\"e\":[]},"
                  "{\"id\":1,\"name\":null,\"ok\":false,\"n\":null,\"e\":[]},"
                  "{\"id\":2,\"name\":\"x\",\"ok\":true,\"n\":null,\"e\":[]},"
                  "[-1,{},false]],\"total_count\":3}");
  char *out;
  size_t len;
  assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_OK);
  assert_int_equal(len, strlen(out));
  json_error_t err;
  json_t *back = json_loads(out, 0, &err);
  if (!back) {
    print_error("jansson cannot read [%s]: %s\n", out, err.text);
    fail();
  }
  json_decref(back);
  free(out);
  /* the writer is empty and usable again */
  expect_text(&w, "");
  kc_jsonw_int(&w, 7);
  expect_text(&w, "7");
  kc_jsonw_free(&w);
}

static void test_deep_nesting(void **state)
{
  (void)state;
  kc_jsonw w;
  kc_jsonw_init(&w, 0, 1 << 20);
  for (int i = 0; i < KC_JSONW_MAX_DEPTH; i++) {
    kc_jsonw_array_begin(&w);
    kc_jsonw_int(&w, i);
  }
  for (int i = 0; i < KC_JSONW_MAX_DEPTH; i++)
    kc_jsonw_array_end(&w);
  char *out;
  size_t len;
  assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_OK);
  json_t *back = json_loads(out, 0, NULL);
  assert_non_null(back);
  json_decref(back);
  assert_int_equal(out[len - 1], ']');
  free(out);
}

/* Top-level values are not separated: a caller cuts them apart and copies them with raw. */
static void test_runs_and_raw(void **state)
{
  (void)state;
  kc_jsonw run, w;
  kc_jsonw_init(&run, 0, 1 << 20);
  size_t off[4];
  off[0] = kc_jsonw_len(&run);
  kc_jsonw_object_begin(&run);
  kc_jsonw_member_int(&run, "id", 1);
  kc_jsonw_object_end(&run);
  off[1] = kc_jsonw_len(&run);
  kc_jsonw_str(&run, "hai");
  off[2] = kc_jsonw_len(&run);
  kc_jsonw_array_begin(&run);
  kc_jsonw_null(&run);
  kc_jsonw_array_end(&run);
  off[3] = kc_jsonw_len(&run);
  expect_text(&run, "{\"id\":1}\"hai\"[null]");
  size_t len;
  const char *text = kc_jsonw_data(&run, &len);
  kc_jsonw_init(&w, 0, 1 << 20);
  kc_jsonw_object_begin(&w);
  kc_jsonw_key(&w, "items");
  kc_jsonw_array_begin(&w);
  for (int i = 2; i >= 0; i--)
    kc_jsonw_raw(&w, text + off[i], off[i + 1] - off[i]);
  kc_jsonw_array_end(&w);
  kc_jsonw_key(&w, "first");
  kc_jsonw_raw(&w, text, off[1]);
  kc_jsonw_object_end(&w);
  expect_text(&w, "{\"items\":[[null],\"hai\",{\"id\":1}],\"first\":{\"id\":1}}");
  kc_jsonw_free(&w);
  kc_jsonw_free(&run);
}

/* ---- strings ------------------------------------------------------------------------------ */

static void check_string(const char *in, size_t n, const char *expected, size_t en)
{
  kc_jsonw w;
  kc_jsonw_init(&w, 0, 1 << 20);
  kc_jsonw_strn(&w, in, n);
  expect_text_n(&w, expected, en, "string");
  kc_jsonw_free(&w);
}

#define CHECK_STRING(in, expected) check_string(in, sizeof in - 1, expected, sizeof expected - 1)

static void test_string_escapes(void **state)
{
  (void)state;
  CHECK_STRING("", "\"\"");
  CHECK_STRING("plain", "\"plain\"");
  CHECK_STRING("a\"b\\c", "\"a\\\"b\\\\c\"");
  CHECK_STRING("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
  CHECK_STRING("\x01\x1f\x0b", "\"\\u0001\\u001F\\u000B\"");
  CHECK_STRING("a\0b", "\"a\\u0000b\"");
  CHECK_STRING("/ \x7f", "\"/ \x7f\""); /* no escape for '/' or DEL, as jansson */
  CHECK_STRING("Kỷ cương hành chính", "\"Kỷ cương hành chính\"");
  CHECK_STRING("\xe2\x80\xa8\xf0\x9f\x98\x80", "\"\xe2\x80\xa8\xf0\x9f\x98\x80\"");
  CHECK_STRING("\"\n\"", "\"\\\"\\n\\\"\"");
}

static void test_string_ill_formed(void **state)
{
  (void)state;
  /* each maximal ill-formed subpart becomes one U+FFFD (EF BF BD) */
  CHECK_STRING("a\x80z", "\"a\xef\xbf\xbdz\"");
  CHECK_STRING("\xe1\xba", "\"\xef\xbf\xbd\"");             /* truncated at the end */
  CHECK_STRING("\xe1\xbaz", "\"\xef\xbf\xbdz\"");           /* truncated in the middle */
  CHECK_STRING("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""); /* overlong '/' */
  CHECK_STRING("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* surrogate */
  CHECK_STRING("\xff\n\"ệ", "\"\xef\xbf\xbd\\n\\\"ệ\""); /* escapes still apply */
}

/* Random valid strings, with NUL: the writer prints what jansson prints. */
static void test_strings_match_jansson(void **state)
{
  (void)state;
  static char in[4 * 200];
  kc_jsonw w;
  kc_jsonw_init(&w, 0, 1 << 20);
  for (int i = 0; i < 20000; i++) {
    size_t n = rnd_utf8(in, i % 10 == 0 ? 200 : 12, true);
    char *expected = jansson_dump(json_stringn(in, n));
    kc_jsonw_strn(&w, in, n);
    expect_text_n(&w, expected, strlen(expected), "random string");
    free(expected);
    kc_jsonw_free(&w);
  }
}

/* One special character at every position of ASCII strings of every length up to 40, so
 * that the eight-bytes-at-a-time copy meets it at each offset of a word. */
static void test_special_at_every_offset(void **state)
{
  (void)state;
  static const char *const special[] = {
      "\"", "\\", "\n", "\x01", "\x1f", "\x7f", " ", "é", "ệ", "\xf0\x9f\x98\x80", "\x80"};
  char in[64];
  kc_jsonw w;
  kc_jsonw_init(&w, 0, 1 << 20);
  for (size_t n = 1; n <= 40; n++)
    for (size_t at = 0; at < n; at++)
      for (size_t k = 0; k < sizeof special / sizeof *special; k++) {
        size_t sl = strlen(special[k]), len = 0;
        for (size_t i = 0; i < n; i++) {
          if (i == at) {
            memcpy(in + len, special[k], sl);
            len += sl;
          } else {
            in[len++] = (char)('a' + i % 26);
          }
        }
        kc_jsonw_strn(&w, in, len);
        json_t *j = json_stringn(in, len);
        if (j) {
          char *expected = jansson_dump(j);
          expect_text_n(&w, expected, strlen(expected), "special at an offset");
          free(expected);
        } else { /* the lone 0x80: replaced */
          size_t out_len;
          const char *out = kc_jsonw_data(&w, &out_len);
          assert_true(kc_utf8_valid(out, out_len));
          assert_non_null(memmem(out, out_len, "\xef\xbf\xbd", 3));
        }
        kc_jsonw_free(&w);
      }
}

/* Random bytes, mostly ill-formed: the output is always valid UTF-8 and valid JSON, and the
 * same as jansson's whenever jansson accepts the input. */
static void test_random_bytes_stay_valid(void **state)
{
  (void)state;
  char in[64];
  kc_jsonw w;
  kc_jsonw_init(&w, 0, 1 << 20);
  for (int i = 0; i < 20000; i++) {
    size_t n = rnd_below(sizeof in);
    for (size_t k = 0; k < n; k++)
      in[k] = (char)(rnd_below(3) ? rnd_below(256) : 0x80 + rnd_below(0x40));
    kc_jsonw_strn(&w, in, n);
    size_t len;
    const char *out = kc_jsonw_data(&w, &len);
    assert_non_null(out);
    if (!kc_utf8_valid(out, len)) {
      print_error("output of random bytes #%d is not UTF-8\n", i);
      fail();
    }
    json_t *back = json_loadb(out, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!back || !json_is_string(back)) {
      print_error("jansson cannot read [%.*s]\n", (int)len, out);
      fail();
    }
    json_decref(back);
    json_t *j = json_stringn(in, n);
    if (j) {
      char *expected = jansson_dump(j);
      expect_text_n(&w, expected, strlen(expected), "valid random bytes");
      free(expected);
    }
    kc_jsonw_free(&w);
  }
}

/* ---- integers ------------------------------------------------------------------------------ */

static void test_integers(void **state)
{
  (void)state;
  int64_t v[] = {0, 1, -1, 9, 10, -10, 123456789, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  kc_jsonw w;
  kc_jsonw_init(&w, 0, 1 << 20);
  for (size_t i = 0; i < sizeof v / sizeof *v + 1000; i++) {
    int64_t x = i < sizeof v / sizeof *v ? v[i] : (int64_t)rnd() >> rnd_below(63);
    char *expected = jansson_dump(json_integer(x));
    kc_jsonw_int(&w, x);
    expect_text_n(&w, expected, strlen(expected), "integer");
    free(expected);
    kc_jsonw_free(&w);
  }
}

/* ---- random documents --------------------------------------------------------------------- */

/* Writes a random value to both the writer and a jansson tree. */
static json_t *rnd_value(kc_jsonw *w, int depth)
{
  static char buf[4 * 40];
  unsigned kind = depth >= 5 ? rnd_below(5) : rnd_below(7);
  switch (kind) {
  case 0: kc_jsonw_null(w); return json_null();
  case 1: {
    bool b = rnd_below(2);
    kc_jsonw_bool(w, b);
    return json_boolean(b);
  }
  case 2: {
    int64_t x = (int64_t)rnd() >> rnd_below(63);
    kc_jsonw_int(w, x);
    return json_integer(x);
  }
  case 3:
  case 4: {
    size_t n = rnd_utf8(buf, 40, true);
    kc_jsonw_strn(w, buf, n);
    return json_stringn(buf, n);
  }
  case 5: {
    json_t *a = json_array();
    kc_jsonw_array_begin(w);
    for (unsigned i = rnd_below(6); i > 0; i--)
      json_array_append_new(a, rnd_value(w, depth + 1));
    kc_jsonw_array_end(w);
    return a;
  }
  default: {
    json_t *o = json_object();
    kc_jsonw_object_begin(w);
    for (unsigned i = rnd_below(6); i > 0; i--) {
      /* distinct keys, as an object in jansson cannot repeat one */
      char key[4 * 8 + 16];
      size_t n = rnd_utf8(key, 8, false);
      snprintf(key + n, sizeof key - n, "#%u", i);
      kc_jsonw_key(w, key);
      json_object_set_new(o, key, rnd_value(w, depth + 1));
    }
    kc_jsonw_object_end(w);
    return o;
  }
  }
}

static void test_documents_match_jansson(void **state)
{
  (void)state;
  for (int i = 0; i < 3000; i++) {
    kc_jsonw w;
    kc_jsonw_init(&w, 0, 1 << 24);
    json_t *j = rnd_value(&w, 0);
    char *expected = jansson_dump(j);
    char *out;
    size_t len;
    assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_OK);
    if (len != strlen(expected) || memcmp(out, expected, len)) {
      print_error("document #%d:\n  wrote    %s\n  expected %s\n", i, out, expected);
      fail();
    }
    free(out);
    free(expected);
  }
}

/* ---- the cap ------------------------------------------------------------------------------ */

static void test_cap(void **state)
{
  (void)state;
  kc_jsonw w;
  char *out;
  size_t len;
  /* exactly at the cap: fine */
  kc_jsonw_init(&w, 0, 7);
  kc_jsonw_array_begin(&w);
  kc_jsonw_int(&w, 12);
  kc_jsonw_int(&w, 34);
  kc_jsonw_array_end(&w);
  assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_OK);
  assert_string_equal(out, "[12,34]");
  free(out);
  /* one byte more: refused, and everything after the cap is dropped */
  kc_jsonw_init(&w, 0, 7);
  kc_jsonw_array_begin(&w);
  kc_jsonw_int(&w, 12);
  kc_jsonw_int(&w, 3456);
  assert_null(kc_jsonw_data(&w, &len));
  kc_jsonw_array_end(&w);
  assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_ETOOLARGE);
  assert_null(out);
  assert_int_equal(len, 0);
  /* a string whose worst case (6 bytes per byte) passes the cap but whose text does not */
  char s[91];
  memset(s, 'a', 90);
  s[90] = 0;
  kc_jsonw_init(&w, 16, 92);
  kc_jsonw_str(&w, s);
  assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_OK);
  assert_int_equal(len, 92);
  free(out);
  /* the same string escaped (\u0001 each) passes it */
  memset(s, 1, 90);
  kc_jsonw_init(&w, 16, 400);
  kc_jsonw_str(&w, s);
  assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_ETOOLARGE);
  /* an empty writer gives an empty text */
  kc_jsonw_init(&w, 0, 0);
  assert_int_equal(kc_jsonw_take(&w, &out, &len), KC_OK);
  assert_string_equal(out, "");
  free(out);
  kc_jsonw_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty_and_scalars),
      cmocka_unit_test(test_nesting_and_commas),
      cmocka_unit_test(test_deep_nesting),
      cmocka_unit_test(test_runs_and_raw),
      cmocka_unit_test(test_string_escapes),
      cmocka_unit_test(test_string_ill_formed),
      cmocka_unit_test(test_strings_match_jansson),
      cmocka_unit_test(test_special_at_every_offset),
      cmocka_unit_test(test_random_bytes_stay_valid),
      cmocka_unit_test(test_integers),
      cmocka_unit_test(test_documents_match_jansson),
      cmocka_unit_test(test_cap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
