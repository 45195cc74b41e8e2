/* Unit tests of src/report/vndate.c: Vietnamese date and time phrases for documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "report/vndate.h"

/* Checks that fn(iso) writes exactly `expected`, printing both when not. */
#define expect_phrase(fn, iso, expected)                                                           \
  do {                                                                                             \
    char b_[KC_VNDATE_MAX];                                                                        \
    memset(b_, 'x', sizeof b_);                                                                    \
    fn(iso, b_, sizeof b_);                                                                        \
    if (strcmp(b_, expected)) {                                                                    \
      print_error("%s:%d: %s(%s) is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #fn,           \
                  iso ? (const char *)iso : "NULL", b_, expected);                                 \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

static void test_long_dates(void **state)
{
  (void)state;
  expect_phrase(kc_vndate_long, "2017-03-05", "ngày 05 tháng 3 năm 2017");
  expect_phrase(kc_vndate_long, "2017-03-20", "ngày 20 tháng 3 năm 2017");
  /* January and February take a leading zero, the other months do not (Decree 30/2020). */
  expect_phrase(kc_vndate_long, "2017-02-05", "ngày 05 tháng 02 năm 2017");
  expect_phrase(kc_vndate_long, "2017-01-15", "ngày 15 tháng 01 năm 2017");
  expect_phrase(kc_vndate_long, "2017-10-01", "ngày 01 tháng 10 năm 2017");
  expect_phrase(kc_vndate_long, "2017-12-31", "ngày 31 tháng 12 năm 2017");
  expect_phrase(kc_vndate_long, "2016-02-29", "ngày 29 tháng 02 năm 2016");
  /* A timestamp gives its date in UTC+7. */
  expect_phrase(kc_vndate_long, "2017-03-01T09:15:00+07:00", "ngày 01 tháng 3 năm 2017");
  expect_phrase(kc_vndate_long, "2017-02-28T20:30:00Z", "ngày 01 tháng 3 năm 2017");
}

static void test_times(void **state)
{
  (void)state;
  expect_phrase(kc_vndate_time, "2017-03-01T14:30:00+07:00", "14 giờ 30 phút");
  expect_phrase(kc_vndate_time, "2017-03-01T09:05:00+07:00", "09 giờ 05 phút");
  expect_phrase(kc_vndate_time, "2017-03-01T00:00:00+07:00", "00 giờ 00 phút");
  expect_phrase(kc_vndate_time, "2017-03-01T02:15:00Z", "09 giờ 15 phút");
  expect_phrase(kc_vndate_time, "2017-03-01T16:45:30.250+09:00", "14 giờ 45 phút");
  expect_phrase(kc_vndate_time, "2017-03-01", "…… giờ …… phút");
  expect_phrase(kc_vndate_datetime, "2017-03-01T09:15:00+07:00",
                "09 giờ 15 phút, ngày 01 tháng 3 năm 2017");
  expect_phrase(kc_vndate_datetime, "2017-02-28T20:30:00Z",
                "03 giờ 30 phút, ngày 01 tháng 3 năm 2017");
  expect_phrase(kc_vndate_datetime, "2017-03-06", "…… giờ …… phút, ngày 06 tháng 3 năm 2017");
  expect_phrase(kc_vndate_datetime_short, "2017-03-01T14:30:00+07:00",
                "14 giờ 30 phút, ngày 01/03/2017");
  expect_phrase(kc_vndate_short, "2017-03-01T14:30:00+07:00", "01/03/2017");
  expect_phrase(kc_vndate_short, "2017-11-09", "09/11/2017");
}

static void test_blanks(void **state)
{
  (void)state;
  static const char *const bad[] = {NULL,         "",           "2017-02-30", "2017-13-01",
                                    "17-03-01",   "2017/03/01", "garbage",    "2017-03-01T25:00",
                                    "2017-03-01X"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    expect_phrase(kc_vndate_long, bad[i], "ngày …… tháng …… năm ……");
    expect_phrase(kc_vndate_time, bad[i], "…… giờ …… phút");
    expect_phrase(kc_vndate_datetime, bad[i], "…… giờ …… phút, ngày …… tháng …… năm ……");
    expect_phrase(kc_vndate_datetime_short, bad[i], "…… giờ …… phút, ngày ……/……/……");
    expect_phrase(kc_vndate_short, bad[i], "……/……/……");
  }
}

static void test_parse(void **state)
{
  (void)state;
  kc_vndate d = {.year = -1};
  assert_true(kc_vndate_parse("2017-03-06", &d));
  assert_int_equal(d.year, 2017);
  assert_int_equal(d.month, 3);
  assert_int_equal(d.day, 6);
  assert_false(d.has_time);
  assert_true(kc_vndate_parse("2017-12-31T23:59:00+07:00", &d));
  assert_int_equal(d.year, 2017);
  assert_int_equal(d.month, 12);
  assert_int_equal(d.day, 31);
  assert_int_equal(d.hour, 23);
  assert_int_equal(d.minute, 59);
  assert_true(d.has_time);
  /* 17:30 UTC is past midnight in Hanoi: the next day, and the next year. */
  assert_true(kc_vndate_parse("2017-12-31T17:30:00Z", &d));
  assert_int_equal(d.year, 2018);
  assert_int_equal(d.month, 1);
  assert_int_equal(d.day, 1);
  assert_int_equal(d.hour, 0);
  kc_vndate before = d;
  assert_false(kc_vndate_parse("not a date", &d));
  assert_false(kc_vndate_parse(NULL, &d));
  assert_memory_equal(&d, &before, sizeof d); /* untouched on failure */
}

static void test_truncation(void **state)
{
  (void)state;
  char small[8];
  kc_vndate_datetime("2017-03-01T09:15:00+07:00", small, sizeof small);
  assert_true(strlen(small) < sizeof small);
  assert_string_equal(small, "09 gi"); /* "ờ" takes 3 bytes: cut before it, not inside */
  char fits[9];
  kc_vndate_datetime("2017-03-01T09:15:00+07:00", fits, sizeof fits);
  assert_string_equal(fits, "09 giờ");
  char none[1] = {'x'};
  kc_vndate_long("2017-03-01", none, sizeof none);
  assert_int_equal(none[0], 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_long_dates), cmocka_unit_test(test_times),
      cmocka_unit_test(test_blanks),     cmocka_unit_test(test_parse),
      cmocka_unit_test(test_truncation),
  };
  return cmocka_run_group_tests_name("report/vndate", tests, NULL, NULL);
}
