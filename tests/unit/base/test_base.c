/* Unit tests of src/base: error strings, the arena, ISO 8601 instants, configuration and
 * crypto. vntext and utf8 have their own binary (tests/unit/vntext). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"
#include "expect.h"

/* ---- assertions that print both values ------------------------------------------------- */

/* ---- err ------------------------------------------------------------------------------- */

static void test_err_strings(void **state)
{
  (void)state;
  for (int e = 0; e < KC_ERR__COUNT; e++) {
    const char *c = kc_err_code((kc_err)e), *m = kc_err_message((kc_err)e);
    assert_non_null(c);
    assert_non_null(m);
    if (!*c || !*m) {
      print_error("error %d has an empty code \"%s\" or message \"%s\"\n", e, c, m);
      fail();
    }
    /* Codes are machine words: lower-case ASCII and '_' only. */
    for (const char *p = c; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || *p == '_')) {
        print_error("error %d: code \"%s\" has character '%c'\n", e, c, *p);
        fail();
      }
    for (int f = 0; f < e; f++)
      if (!strcmp(c, kc_err_code((kc_err)f))) {
        print_error("errors %d and %d share the code \"%s\"\n", f, e, c);
        fail();
      }
  }
  assert_string_equal(kc_err_code(KC_OK), "ok");
  assert_string_equal(kc_err_code(KC_EFIELD), "invalid_field");
  assert_string_equal(kc_err_code(KC_ECONFLICT), "conflict");
  assert_string_equal(kc_err_code(KC_ETHROTTLE), "too_many_requests");
  assert_string_equal(kc_err_code(KC_EINTERNAL), "internal");
  /* Out of range values fall back to "internal" rather than reading past the table. */
  assert_string_equal(kc_err_code(KC_ERR__COUNT), "internal");
  assert_string_equal(kc_err_code((kc_err)-1), "internal");
  assert_string_equal(kc_err_message((kc_err)999), kc_err_message(KC_EINTERNAL));
}

/* ---- mem ------------------------------------------------------------------------------- */

static void test_xalloc(void **state)
{
  (void)state;
  void *p = kc_xmalloc(0);
  assert_non_null(p);
  free(p);
  unsigned char *z = kc_xcalloc(100, 3);
  for (int i = 0; i < 300; i++)
    expect_i64(z[i], 0);
  z = kc_xrealloc(z, 5000);
  expect_i64(z[299], 0); /* the old contents are kept */
  z[4999] = 7;
  free(z);
  char *s = kc_xstrdup("Hà Nội");
  assert_string_equal(s, "Hà Nội");
  free(s);
}

static void test_arena_many_allocations(void **state)
{
  (void)state;
  enum { N = 20000 };
  kc_arena a;
  kc_arena_init(&a);
  assert_null(a.head);
  expect_i64(a.used_total, 0);
  static unsigned char *ptrs[N];
  static size_t sizes[N];
  size_t requested = 0;
  for (int i = 0; i < N; i++) {
    /* Sizes from 1 to 700 bytes, plus a few larger than a whole first block. */
    size_t n = (i % 997 == 0) ? 20000 + (size_t)i : 1 + (size_t)(i * 7919) % 700;
    unsigned char *p = kc_arena_alloc(&a, n);
    assert_non_null(p);
    if ((uintptr_t)p % _Alignof(max_align_t) != 0) {
      print_error("allocation %d of %zu bytes at %p is not aligned to %zu\n", i, n, (void *)p,
                  (size_t) _Alignof(max_align_t));
      fail();
    }
    memset(p, (unsigned char)i, n);
    ptrs[i] = p;
    sizes[i] = n;
    requested += n;
  }
  /* No allocation overlapped another: each still holds its own byte pattern. */
  for (int i = 0; i < N; i++)
    for (size_t k = 0; k < sizes[i]; k++)
      if (ptrs[i][k] != (unsigned char)i) {
        print_error("allocation %d byte %zu is %u, expected %u (overwritten)\n", i, k, ptrs[i][k],
                    (unsigned char)i);
        fail();
      }
  if (a.used_total < requested) {
    print_error("used_total %zu < bytes requested %zu\n", a.used_total, requested);
    fail();
  }
  /* Rounding to the alignment costs less than one alignment unit per allocation. */
  if (a.used_total > requested + (size_t)N * _Alignof(max_align_t)) {
    print_error("used_total %zu exceeds requested %zu + padding\n", a.used_total, requested);
    fail();
  }
  kc_arena_free(&a);
  assert_null(a.head);
  expect_i64(a.used_total, 0);
}

static void test_arena_zero_and_types(void **state)
{
  (void)state;
  kc_arena a;
  kc_arena_init(&a);
  void *p0 = kc_arena_alloc(&a, 0), *p1 = kc_arena_alloc(&a, 0);
  assert_non_null(p0);
  assert_non_null(p1);
  assert_ptr_not_equal(p0, p1); /* zero-byte allocations are still distinct */
  /* Types with the strictest alignment can be stored after an odd-sized allocation. */
  (void)kc_arena_alloc(&a, 3);
  long double *ld = kc_arena_alloc(&a, sizeof *ld * 4);
  for (int i = 0; i < 4; i++)
    ld[i] = (long double)i / 3;
  (void)kc_arena_alloc(&a, 1);
  int64_t *q = kc_arena_alloc(&a, sizeof *q);
  *q = INT64_MIN;
  expect_i64(*q, INT64_MIN);
  unsigned char *z = kc_arena_zalloc(&a, 5000);
  for (int i = 0; i < 5000; i++)
    if (z[i]) {
      print_error("zalloc byte %d is %u, expected 0\n", i, z[i]);
      fail();
    }
  /* A zalloc large enough to need its own block. */
  z = kc_arena_zalloc(&a, 100000);
  expect_i64(z[0], 0);
  expect_i64(z[99999], 0);
  kc_arena_free(&a);
}

static void test_arena_strings(void **state)
{
  (void)state;
  kc_arena a;
  kc_arena_init(&a);
  assert_null(kc_arena_strdup(&a, NULL));
  assert_null(kc_arena_strndup(&a, NULL, 4));
  const char *src = "Phường Điện Biên";
  char *d = kc_arena_strdup(&a, src);
  assert_ptr_not_equal(d, src);
  assert_string_equal(d, src);
  char *e = kc_arena_strndup(&a, src, 6); /* "Phư" is 5 bytes, "ờ" 3: cut at a byte count */
  expect_i64(strlen(e), 6);
  assert_memory_equal(e, src, 6);
  char *empty = kc_arena_strdup(&a, "");
  assert_string_equal(empty, "");
  char *f = kc_arena_printf(&a, "%s-%03d-%" PRId64, "HN", 7, (int64_t)-42);
  assert_string_equal(f, "HN-007--42");
  /* Output bigger than a block, so vprintf must size it first. */
  char big[20001];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  char *g = kc_arena_printf(&a, "<%s>", big);
  expect_i64(strlen(g), 20002);
  expect_i64(g[0], '<');
  expect_i64(g[20001], '>');
  /* Earlier strings survive later allocations. */
  assert_string_equal(d, src);
  assert_string_equal(f, "HN-007--42");
  kc_arena_free(&a);
}

static void test_arena_free_and_reuse(void **state)
{
  (void)state;
  kc_arena_free(NULL); /* NULL-safe */
  kc_arena a;
  kc_arena_init(&a);
  kc_arena_free(&a); /* freeing an empty arena is fine */
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 1000; i++) {
      char *s = kc_arena_printf(&a, "round %d item %d", round, i);
      assert_non_null(s);
    }
    char *last = kc_arena_strdup(&a, "cuối");
    assert_string_equal(last, "cuối");
    if (a.used_total == 0) {
      print_error("round %d: used_total is 0 after allocating\n", round);
      fail();
    }
    kc_arena_free(&a);
    assert_null(a.head);
    expect_i64(a.used_total, 0);
  }
  kc_arena_free(&a); /* twice in a row is harmless */
}

/* ---- clock ----------------------------------------------------------------------------- */

/* 2017-01-01T00:00:00Z */
#define T2017 INT64_C(1483228800)

static void test_time_parse_accepts(void **state)
{
  (void)state;
  static const struct {
    const char *s;
    int64_t t;
  } ok[] = {
      /* A date alone is midnight in Hanoi, i.e. 17:00 UTC the day before. */
      {"2017-01-01", T2017 - 7 * 3600},
      {"2017-01-01T10:30", T2017 - 7 * 3600 + 10 * 3600 + 30 * 60},
      {"2017-01-01T10:30:15", T2017 + 3 * 3600 + 30 * 60 + 15},
      {"2017-01-01T10:30:15+07:00", T2017 + 3 * 3600 + 30 * 60 + 15},
      {"2017-01-01T10:30+07:00", T2017 + 3 * 3600 + 30 * 60},
      {"2017-01-01T10:30:15Z", T2017 + 10 * 3600 + 30 * 60 + 15},
      {"2017-01-01T10:30Z", T2017 + 10 * 3600 + 30 * 60},
      {"2017-01-01T10:30:15-05:00", T2017 + 15 * 3600 + 30 * 60 + 15},
      {"2017-01-01T10:30:15+05:30", T2017 + 5 * 3600 + 15},
      {"2017-01-01T00:00:00+14:00", T2017 - 14 * 3600},
      {"2017-01-01 10:30:15Z", T2017 + 10 * 3600 + 30 * 60 + 15},
      /* Fractions of a second are accepted and dropped, with or without a zone. */
      {"2017-01-01T10:30:15.999Z", T2017 + 10 * 3600 + 30 * 60 + 15},
      {"2017-01-01T10:30:15.123456+07:00", T2017 + 3 * 3600 + 30 * 60 + 15},
      {"2017-01-01T10:30:15.5", T2017 + 3 * 3600 + 30 * 60 + 15},
      /* Edges of the day and of the calendar. */
      {"2017-01-01T23:59:59Z", T2017 + 86399},
      {"2016-12-31T17:00:00Z", T2017 - 7 * 3600},
      {"2016-02-29", INT64_C(1456678800)}, /* leap year: 2016-02-28T17:00Z */
      {"2000-02-29T07:00:00+07:00", INT64_C(951782400)},
      {"1970-01-01T00:00:00Z", 0},
      {"1969-12-31T23:59:59Z", -1},
      {"1900-01-01T00:00:00Z", INT64_C(-2208988800)},
      {"2199-12-31T23:59:59Z", INT64_C(7258118399)},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    int64_t t = 42;
    kc_err e = kc_time_parse_iso(ok[i].s, &t);
    if (e != KC_OK || t != ok[i].t) {
      print_error("parse \"%s\": %s, %" PRId64 "; expected ok, %" PRId64 "\n", ok[i].s,
                  kc_err_code(e), t, ok[i].t);
      fail();
    }
  }
}

static void test_time_parse_rejects(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "2017-02-29",               /* not a leap year */
      "1900-02-29",               /* century, not a leap year */
      "2017-13-01",               /* month 13 */
      "2017-00-10",               /* month 0 */
      "2017-04-31",               /* April has 30 days */
      "2017-01-00",               /* day 0 */
      "2017-01-32",               /* day 32 */
      "2017-01-01T24:00",         /* hour 24 */
      "2017-01-01T24:00:00Z",     /* hour 24 with a zone */
      "2017-01-01T23:60",         /* minute 60 */
      "2017-01-01T23:59:60",      /* leap second */
      "1899-12-31",               /* before the supported range */
      "2200-01-01",               /* after it */
      "garbage",                  /* not a date */
      "",                         /* empty */
      "2017-1-01",                /* one-digit month */
      "2017/01/01",               /* wrong separators */
      "17-01-01",                 /* two-digit year */
      "2017-01-01x",              /* trailing text after a date */
      "2017-01-01 ",              /* trailing space */
      "2017-01-01T",              /* T without a time */
      "2017-01-01T10",            /* hour without minutes */
      "2017-01-01T10:3",          /* one-digit minute */
      "2017-01-01T10:30:",        /* colon without seconds */
      "2017-01-01T10:30:1",       /* one-digit seconds */
      "2017-01-01T10:30:15junk",  /* trailing text after a time */
      "2017-01-01T10:30:15Zjunk", /* trailing text after the zone */
      "2017-01-01T10:30:15ZZ",    /* two zones */
      "2017-01-01T10:30+07",      /* zone without minutes */
      "2017-01-01T10:30+0700",    /* zone without colon */
      "2017-01-01T10:30+15:00",   /* offset beyond +14:00 */
      "2017-01-01T10:30+07:60",   /* offset minutes 60 */
      "2017-01-01T10:30+",        /* sign alone */
      "2017-01-01Z",              /* zone without a time */
      "2017-01-01+07:00",         /* offset without a time */
      "2017-01-01t10:30",         /* lower-case t */
      "T10:30",                   /* time without a date */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int64_t t = 42;
    kc_err e = kc_time_parse_iso(bad[i], &t);
    if (e != KC_EFIELD || t != 42) {
      print_error("parse \"%s\": %s, *out %" PRId64 "; expected invalid_field, *out 42\n", bad[i],
                  kc_err_code(e), t);
      fail();
    }
  }
  int64_t t = 42;
  expect_err(kc_time_parse_iso(NULL, &t), KC_EFIELD);
  expect_i64(t, 42);
}

static void test_time_format(void **state)
{
  (void)state;
  char iso[32], date[16];
  /* Hanoi midnight of 2017-01-01 is 2016-12-31T17:00:00Z. */
  int64_t midnight = T2017 - 7 * 3600;
  kc_time_format_iso(midnight, iso, sizeof iso);
  assert_string_equal(iso, "2017-01-01T00:00:00+07:00");
  kc_time_format_date(midnight, date, sizeof date);
  assert_string_equal(date, "2017-01-01");
  kc_time_format_iso(midnight - 1, iso, sizeof iso);
  assert_string_equal(iso, "2016-12-31T23:59:59+07:00");
  kc_time_format_date(midnight - 1, date, sizeof date);
  assert_string_equal(date, "2016-12-31");
  /* 16:59:59Z is still the same day in Hanoi; 17:00:00Z is the next. */
  int64_t t;
  assert_int_equal(kc_time_parse_iso("2017-06-30T16:59:59Z", &t), KC_OK);
  kc_time_format_date(t, date, sizeof date);
  assert_string_equal(date, "2017-06-30");
  kc_time_format_date(t + 1, date, sizeof date);
  assert_string_equal(date, "2017-07-01");
  kc_time_format_iso(t + 1, iso, sizeof iso);
  assert_string_equal(iso, "2017-07-01T00:00:00+07:00");
  /* Leap day and the end of the year in Hanoi. */
  assert_int_equal(kc_time_parse_iso("2016-02-29T23:30:00+07:00", &t), KC_OK);
  kc_time_format_iso(t, iso, sizeof iso);
  assert_string_equal(iso, "2016-02-29T23:30:00+07:00");
  kc_time_format_date(t + 1800, date, sizeof date);
  assert_string_equal(date, "2016-03-01");
  /* The documented minimum buffer sizes are enough. */
  char small_iso[26], small_date[11];
  kc_time_format_iso(T2017, small_iso, sizeof small_iso);
  assert_string_equal(small_iso, "2017-01-01T07:00:00+07:00");
  kc_time_format_date(T2017, small_date, sizeof small_date);
  assert_string_equal(small_date, "2017-01-01");
}

static void test_time_round_trip(void **state)
{
  (void)state;
  /* Every instant formats and parses back to itself; its date parses back to the Hanoi
   * midnight at or before it. Steps of 3,607 s hit every hour and minute over ~4 years,
   * including both sides of each UTC+7 midnight. */
  char iso[32], date[16];
  for (int64_t t = T2017 - 2 * 86400 * 365; t < T2017 + 2 * 86400 * 365; t += 3607) {
    kc_time_format_iso(t, iso, sizeof iso);
    int64_t back = 0;
    kc_err e = kc_time_parse_iso(iso, &back);
    if (e != KC_OK || back != t) {
      print_error("%" PRId64 " -> \"%s\" -> %s %" PRId64 "\n", t, iso, kc_err_code(e), back);
      fail();
    }
    kc_time_format_date(t, date, sizeof date);
    if (strncmp(iso, date, 10)) {
      print_error("date \"%s\" disagrees with instant \"%s\"\n", date, iso);
      fail();
    }
    assert_true(kc_date_valid(date));
    int64_t day = 0;
    assert_int_equal(kc_time_parse_iso(date, &day), KC_OK);
    if (!(day <= t && t < day + 86400)) {
      print_error("%" PRId64 " (%s) not within its day %s starting %" PRId64 "\n", t, iso, date,
                  day);
      fail();
    }
  }
}

static void test_date_valid(void **state)
{
  (void)state;
  static const struct {
    const char *s;
    bool ok;
  } cases[] = {
      {"2017-02-28", true},
      {"2016-02-29", true},
      {"2000-02-29", true},
      {"1900-01-01", true},
      {"2199-12-31", true},
      {"2017-12-31", true},
      {"2017-02-29", false},
      {"1900-02-29", false},
      {"2017-13-01", false},
      {"2017-00-01", false},
      {"2017-06-31", false},
      {"2017-01-00", false},
      {"1899-12-31", false},
      {"2200-01-01", false},
      {"2017-2-28", false},
      {"2017/02/28", false},
      {"", false},
      {" 2017-02-28", false},
      {"2017-02-28 ", false},
      {"2017-02-28T00:00", false},
      {"abcd-ef-gh", false},
      {"20170228", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    if (kc_date_valid(cases[i].s) != cases[i].ok) {
      print_error("kc_date_valid(\"%s\") is %d, expected %d\n", cases[i].s, !cases[i].ok,
                  cases[i].ok);
      fail();
    }
  assert_false(kc_date_valid(NULL));
}

static void test_clock_now(void **state)
{
  (void)state;
  kc_clock fixed = {.fixed = true, .fixed_at = 1234567890};
  expect_i64(kc_clock_now(&fixed), 1234567890);
  kc_clock sys = {0};
  int64_t before = (int64_t)time(NULL);
  int64_t now = kc_clock_now(&sys);
  int64_t after = (int64_t)time(NULL);
  assert_true(before <= now && now <= after);
  now = kc_clock_now(NULL);
  assert_true(now >= before);
}

/* ---- config ---------------------------------------------------------------------------- */

static const char *const env_names[] = {
    "KYCUONG_DB",      "KYCUONG_LISTEN",          "KYCUONG_WEB_DIR",      "KYCUONG_DATA_DIR",
    "KYCUONG_THREADS", "KYCUONG_MAX_CONNECTIONS", "KYCUONG_CONN_TIMEOUT", "KYCUONG_SESSION_HOURS",
    "KYCUONG_NOW",     "KYCUONG_ACCESS_LOG",
};

static void clear_env(void)
{
  for (size_t i = 0; i < sizeof env_names / sizeof *env_names; i++)
    unsetenv(env_names[i]);
}

static int config_setup(void **state)
{
  (void)state;
  clear_env();
  return 0;
}

static int config_teardown(void **state)
{
  (void)state;
  clear_env();
  return 0;
}

static void test_config_defaults(void **state)
{
  (void)state;
  kc_config c;
  memset(&c, 0x5a, sizeof c);
  kc_config_defaults(&c);
  assert_string_equal(c.db, "var/kycuong.db");
  assert_string_equal(c.listen, "127.0.0.1:8080");
  expect_i64(c.threads, 0);
  expect_i64(c.max_connections, 1024);
  expect_i64(c.conn_timeout, 30);
  expect_i64(c.session_hours, 12);
  expect_i64(c.due_soon_days, 3);
  assert_true(c.access_log);
  assert_false(c.fixed_now);
  expect_i64(c.now, 0);
  assert_string_equal(c.now_text, "");
  /* Paths are under the source tree the binary was built from. */
  const char *src = getenv("KC_SOURCE_DIR");
  if (src) {
    char want[2048];
    snprintf(want, sizeof want, "%s/web", src);
    assert_string_equal(c.web_dir, want);
    snprintf(want, sizeof want, "%s/data", src);
    assert_string_equal(c.data_dir, want);
  } else {
    expect_contains(c.web_dir, "/web");
    expect_contains(c.data_dir, "/data");
  }
}

static void test_config_set(void **state)
{
  (void)state;
  kc_config c;
  kc_config_defaults(&c);
  char err[256];
  static const struct {
    const char *key, *value;
  } good[] = {
      {"db", "/tmp/x.db"},       {"listen", "0.0.0.0:9000"}, {"web_dir", "/srv/web"},
      {"data_dir", "/srv/data"}, {"threads", "8"},           {"max_connections", "100000"},
      {"conn_timeout", "3600"},  {"session_hours", "720"},   {"access_log", "off"},
      {"due_soon_days", "5"},
  };
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    err[0] = 0;
    kc_err e = kc_config_set(&c, good[i].key, good[i].value, err, sizeof err);
    if (e != KC_OK) {
      print_error("set %s = %s: %s (%s)\n", good[i].key, good[i].value, kc_err_code(e), err);
      fail();
    }
  }
  assert_string_equal(c.db, "/tmp/x.db");
  assert_string_equal(c.listen, "0.0.0.0:9000");
  assert_string_equal(c.web_dir, "/srv/web");
  assert_string_equal(c.data_dir, "/srv/data");
  expect_i64(c.threads, 8);
  expect_i64(c.max_connections, 100000);
  expect_i64(c.conn_timeout, 3600);
  expect_i64(c.session_hours, 720);
  expect_i64(c.due_soon_days, 5);
  assert_false(c.access_log);
  assert_int_equal(kc_config_set(&c, "access_log", "on", err, sizeof err), KC_OK);
  assert_true(c.access_log);

  expect_err(kc_config_set(&c, "now", "2017-03-01T08:00:00+07:00", err, sizeof err), KC_OK);
  assert_true(c.fixed_now);
  expect_i64(c.now, INT64_C(1488330000)); /* 2017-03-01T01:00:00Z */
  assert_string_equal(c.now_text, "2017-03-01T08:00:00+07:00");

  static const struct {
    const char *key, *value;
  } bad[] = {
      {"threads", "257"},
      {"threads", "-1"},
      {"threads", "abc"},
      {"threads", "8x"},
      {"threads", ""},
      {"threads", "99999999999999999999"},
      {"max_connections", "0"},
      {"conn_timeout", "3601"},
      {"session_hours", "0"},
      {"session_hours", "721"},
      {"access_log", "yes"},
      {"access_log", ""},
      {"due_soon_days", "-1"},
      {"due_soon_days", "61"},
      {"now", "2017-02-29"},
      {"now", "tomorrow"},
      {"db", ""},
      {"listen", "8080"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    err[0] = 0;
    kc_err e = kc_config_set(&c, bad[i].key, bad[i].value, err, sizeof err);
    if (e != KC_EFIELD) {
      print_error("set %s = '%s': %s, expected invalid_field\n", bad[i].key, bad[i].value,
                  kc_err_code(e));
      fail();
    }
    /* The message names the setting and the value. */
    char want[128];
    snprintf(want, sizeof want, "bad value for %s: '%s'", bad[i].key, bad[i].value);
    assert_string_equal(err, want);
  }
  /* A refused value changes nothing, whatever the type of the setting. */
  assert_string_equal(c.listen, "0.0.0.0:9000");
  assert_string_equal(c.db, "/tmp/x.db");
  assert_true(c.access_log);
  char longpath[2048];
  memset(longpath, 'p', sizeof longpath - 1);
  longpath[sizeof longpath - 1] = 0;
  expect_err(kc_config_set(&c, "web_dir", longpath, err, sizeof err), KC_EFIELD);
  assert_string_equal(c.web_dir, "/srv/web");
  expect_err(kc_config_set(&c, "listen", "", err, sizeof err), KC_EFIELD);
  assert_string_equal(c.listen, "0.0.0.0:9000");
  /* Integer settings keep their value when the new one is refused. */
  expect_i64(c.threads, 8);
  expect_i64(c.session_hours, 720);
  /* A refused time leaves the fixed clock alone. */
  expect_i64(c.now, INT64_C(1488330000));
  assert_string_equal(c.now_text, "2017-03-01T08:00:00+07:00");

  expect_err(kc_config_set(&c, "colour", "blue", err, sizeof err), KC_EFIELD);
  assert_string_equal(err, "unknown setting 'colour'");
  /* A small error buffer is truncated, not overrun. */
  char tiny[8];
  expect_err(kc_config_set(&c, "threads", "many", tiny, sizeof tiny), KC_EFIELD);
  expect_i64(strlen(tiny), 7);
}

/* Writes text to a fresh temporary file; returns its path (static buffer). */
static const char *write_temp(const char *text)
{
  static char path[64];
  snprintf(path, sizeof path, "/tmp/kc-test-config-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  size_t n = strlen(text);
  assert_int_equal(write(fd, text, n), (ssize_t)n);
  close(fd);
  return path;
}

static void test_config_load_file(void **state)
{
  (void)state;
  kc_config c;
  kc_config_defaults(&c);
  char err[512] = "";
  const char *path = write_temp("# kycuong test configuration\n"
                                "\n"
                                "listen = 0.0.0.0:9000\n"
                                "threads=4   \n"
                                "   # an indented comment\n"
                                "\t session_hours\t=\t48\n"
                                "access_log = off\r\n"
                                "db = /var/lib/kycuong/kc.db\n"
                                "now = 2017-09-02T09:00:00+07:00\n");
  kc_err e = kc_config_load_file(&c, path, err, sizeof err);
  unlink(path);
  if (e != KC_OK) {
    print_error("load_file: %s (%s)\n", kc_err_code(e), err);
    fail();
  }
  assert_string_equal(c.listen, "0.0.0.0:9000");
  expect_i64(c.threads, 4);
  expect_i64(c.session_hours, 48);
  assert_false(c.access_log);
  assert_string_equal(c.db, "/var/lib/kycuong/kc.db");
  assert_true(c.fixed_now);
  assert_string_equal(c.now_text, "2017-09-02T09:00:00+07:00");
  expect_i64(c.max_connections, 1024); /* untouched settings keep their defaults */

  /* A bad value: the message names the file, the line number and the setting. */
  kc_config_defaults(&c);
  path = write_temp("# comment\n"
                    "listen = 0.0.0.0:9000\n"
                    "\n"
                    "threads = many\n"
                    "session_hours = 2\n");
  e = kc_config_load_file(&c, path, err, sizeof err);
  char want[256];
  snprintf(want, sizeof want, "%s:4: bad value for threads: 'many'", path);
  unlink(path);
  expect_err(e, KC_EFIELD);
  assert_string_equal(err, want);
  assert_string_equal(c.listen, "0.0.0.0:9000"); /* lines before the bad one were applied */
  expect_i64(c.session_hours, 12);               /* reading stopped at the bad line */

  /* A line without '=' and an unknown key. */
  path = write_temp("listen = 1.2.3.4:5\njust some words\n");
  e = kc_config_load_file(&c, path, err, sizeof err);
  snprintf(want, sizeof want, "%s:2: expected key = value", path);
  unlink(path);
  expect_err(e, KC_EFIELD);
  assert_string_equal(err, want);

  path = write_temp("\n\n\ncolour = blue\n");
  e = kc_config_load_file(&c, path, err, sizeof err);
  snprintf(want, sizeof want, "%s:4: unknown setting 'colour'", path);
  unlink(path);
  expect_err(e, KC_EFIELD);
  assert_string_equal(err, want);

  /* A missing file is an I/O error naming the path. */
  e = kc_config_load_file(&c, "/nonexistent/kycuong.conf", err, sizeof err);
  expect_err(e, KC_EIO);
  expect_contains(err, "/nonexistent/kycuong.conf");

  /* An empty file changes nothing. */
  kc_config_defaults(&c);
  path = write_temp("");
  e = kc_config_load_file(&c, path, err, sizeof err);
  unlink(path);
  expect_err(e, KC_OK);
  assert_string_equal(c.listen, "127.0.0.1:8080");
}

static void test_config_env(void **state)
{
  (void)state;
  kc_config c;
  kc_config_defaults(&c);
  char err[512] = "";
  /* No variables set: nothing changes. */
  expect_err(kc_config_load_env(&c, err, sizeof err), KC_OK);
  assert_string_equal(c.listen, "127.0.0.1:8080");

  /* The environment overrides what the file set. */
  const char *path = write_temp("listen = 0.0.0.0:9000\nthreads = 2\nconn_timeout = 5\n");
  expect_err(kc_config_load_file(&c, path, err, sizeof err), KC_OK);
  unlink(path);
  setenv("KYCUONG_LISTEN", "10.0.0.1:7000", 1);
  setenv("KYCUONG_THREADS", "3", 1);
  setenv("KYCUONG_DB", "", 1); /* empty variables are ignored */
  setenv("KYCUONG_MAX_CONNECTIONS", "50", 1);
  setenv("KYCUONG_SESSION_HOURS", "1", 1);
  setenv("KYCUONG_ACCESS_LOG", "off", 1);
  setenv("KYCUONG_WEB_DIR", "/opt/web", 1);
  setenv("KYCUONG_DATA_DIR", "/opt/data", 1);
  setenv("KYCUONG_NOW", "2017-09-02T09:00:00+07:00", 1);
  kc_err e = kc_config_load_env(&c, err, sizeof err);
  if (e != KC_OK) {
    print_error("load_env: %s (%s)\n", kc_err_code(e), err);
    fail();
  }
  assert_string_equal(c.listen, "10.0.0.1:7000");
  expect_i64(c.threads, 3);
  assert_string_equal(c.db, "var/kycuong.db");
  expect_i64(c.max_connections, 50);
  expect_i64(c.session_hours, 1);
  expect_i64(c.conn_timeout, 5); /* from the file: no variable overrides it */
  assert_false(c.access_log);
  assert_string_equal(c.web_dir, "/opt/web");
  assert_string_equal(c.data_dir, "/opt/data");
  assert_true(c.fixed_now);
  expect_i64(c.now, INT64_C(1504317600)); /* 2017-09-02T02:00:00Z */

  /* A bad value names the variable. */
  setenv("KYCUONG_CONN_TIMEOUT", "0", 1);
  e = kc_config_load_env(&c, err, sizeof err);
  expect_err(e, KC_EFIELD);
  assert_string_equal(err, "KYCUONG_CONN_TIMEOUT: bad value for conn_timeout: '0'");
  expect_i64(c.conn_timeout, 5);
}

/* ---- crypto ---------------------------------------------------------------------------- */

static int crypto_setup(void **state)
{
  (void)state;
  return kc_crypto_init() == KC_OK ? 0 : -1;
}

static void test_crypto_token(void **state)
{
  (void)state;
  enum { N = 200 };
  static char tokens[N][KC_TOKEN_CHARS];
  for (int i = 0; i < N; i++) {
    memset(tokens[i], '#', KC_TOKEN_CHARS);
    kc_crypto_token(tokens[i]);
    expect_i64(strlen(tokens[i]), KC_TOKEN_CHARS - 1); /* 43 = ceil(32 * 4 / 3) */
    for (const char *p = tokens[i]; *p; p++)
      if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_')) {
        print_error("token \"%s\" has character '%c' outside base64url\n", tokens[i], *p);
        fail();
      }
    for (int j = 0; j < i; j++)
      if (!strcmp(tokens[i], tokens[j])) {
        print_error("tokens %d and %d are both \"%s\"\n", j, i, tokens[i]);
        fail();
      }
  }
}

static void test_crypto_sha256(void **state)
{
  (void)state;
  char out[KC_SHA256_HEX];
  kc_crypto_sha256_hex("abc", 3, out);
  assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  kc_crypto_sha256_hex("", 0, out);
  assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  kc_crypto_sha256_hex(two_blocks, strlen(two_blocks), out);
  assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* Length is explicit: embedded NUL bytes count. */
  kc_crypto_sha256_hex("abc\0", 4, out);
  assert_string_not_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_crypto_pwhash(void **state)
{
  (void)state;
  char h1[KC_PWHASH_MAX], h2[KC_PWHASH_MAX];
  expect_err(kc_crypto_pwhash("mật khẩu đủ dài 2017", h1), KC_OK);
  expect_err(kc_crypto_pwhash("mật khẩu đủ dài 2017", h2), KC_OK);
  if (strncmp(h1, "$argon2id$", 10)) {
    print_error("hash \"%s\" is not an argon2id string\n", h1);
    fail();
  }
  assert_string_not_equal(h1, h2); /* a fresh salt every time */
  assert_true(kc_crypto_pwverify(h1, "mật khẩu đủ dài 2017"));
  assert_true(kc_crypto_pwverify(h2, "mật khẩu đủ dài 2017"));
  assert_false(kc_crypto_pwverify(h1, "mật khẩu đủ dài 2018"));
  assert_false(kc_crypto_pwverify(h1, "mat khau du dai 2017")); /* no folding of accents */
  assert_false(kc_crypto_pwverify(h1, ""));
  assert_false(kc_crypto_pwverify("not a hash", "mật khẩu đủ dài 2017"));
  assert_false(kc_crypto_pwverify("", ""));
}

static void test_crypto_streq(void **state)
{
  (void)state;
  assert_true(kc_crypto_streq("abc", "abc"));
  assert_true(kc_crypto_streq("", ""));
  assert_false(kc_crypto_streq("abc", "abd"));
  assert_false(kc_crypto_streq("abc", "abcd"));
  assert_false(kc_crypto_streq("abcd", "abc"));
  assert_false(kc_crypto_streq("", "a"));
  char t1[KC_TOKEN_CHARS], t2[KC_TOKEN_CHARS];
  kc_crypto_token(t1);
  memcpy(t2, t1, sizeof t1);
  assert_true(kc_crypto_streq(t1, t2));
  t2[KC_TOKEN_CHARS - 2] ^= 1;
  assert_false(kc_crypto_streq(t1, t2));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_err_strings),
      cmocka_unit_test(test_xalloc),
      cmocka_unit_test(test_arena_many_allocations),
      cmocka_unit_test(test_arena_zero_and_types),
      cmocka_unit_test(test_arena_strings),
      cmocka_unit_test(test_arena_free_and_reuse),
      cmocka_unit_test(test_time_parse_accepts),
      cmocka_unit_test(test_time_parse_rejects),
      cmocka_unit_test(test_time_format),
      cmocka_unit_test(test_time_round_trip),
      cmocka_unit_test(test_date_valid),
      cmocka_unit_test(test_clock_now),
      cmocka_unit_test_setup_teardown(test_config_defaults, config_setup, config_teardown),
      cmocka_unit_test_setup_teardown(test_config_set, config_setup, config_teardown),
      cmocka_unit_test_setup_teardown(test_config_load_file, config_setup, config_teardown),
      cmocka_unit_test_setup_teardown(test_config_env, config_setup, config_teardown),
      cmocka_unit_test_setup(test_crypto_token, crypto_setup),
      cmocka_unit_test_setup(test_crypto_sha256, crypto_setup),
      cmocka_unit_test_setup(test_crypto_pwhash, crypto_setup),
      cmocka_unit_test_setup(test_crypto_streq, crypto_setup),
  };
  return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
