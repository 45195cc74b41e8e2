/* Unit tests: civil dates and the Vietnamese lunar calendar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "calendar/astro.h"
#include "calendar/calendar.h"
#include "calendar/lunar_build.h"
#include "calendar/lunar_table.h"

static kc_cal_day D(const char *s)
{
  kc_cal_day d = 0;
  assert_int_equal(kc_cal_parse_date(s, strlen(s), &d), KC_CAL_OK);
  return d;
}

static void test_civil(void **state)
{
  (void)state;
  char buf[11];
  assert_int_equal(kc_cal_from_ymd(1970, 1, 1), 0);
  assert_int_equal(kc_cal_weekday(D("2026-02-17")), 2); /* Tuesday */
  assert_int_equal(kc_cal_weekday(D("1900-01-01")), 1); /* Monday */
  assert_string_equal(kc_cal_format_date(D("2199-12-31"), buf), "2199-12-31");
  kc_cal_day d;
  assert_int_equal(kc_cal_parse_date("2023-02-29", 10, &d), KC_CAL_ESYNTAX);
  assert_int_equal(kc_cal_parse_date("2024-02-29", 10, &d), KC_CAL_OK);
  assert_int_equal(kc_cal_parse_date("1899-12-31", 10, &d), KC_CAL_ERANGE);
  assert_int_equal(kc_cal_parse_date("2200-01-01", 10, &d), KC_CAL_ERANGE);
  assert_int_equal(kc_cal_parse_date("2024-1-01", 9, &d), KC_CAL_ESYNTAX);
  assert_int_equal(kc_cal_parse_date("2024-01-0x", 10, &d), KC_CAL_ESYNTAX);
  assert_int_equal(kc_cal_parse_date("2024/01/01", 10, &d), KC_CAL_ESYNTAX);
  /* Every day of the range round-trips through y-m-d. */
  for (kc_cal_day x = kc_cal_first_day(); x <= kc_cal_last_day(); x++) {
    int y, m, dd;
    kc_cal_to_ymd(x, &y, &m, &dd);
    assert_true(kc_cal_ymd_valid(y, m, dd));
    assert_int_equal(kc_cal_from_ymd(y, m, dd), x);
  }
}

/* Tết (1/1 lunar), Giỗ Tổ (10/3 lunar) and the leap month, from published Vietnamese calendars
 * (vn-rules.md §7 for 1985, 2007, 2017-2030; the official holiday announcements for the Giỗ Tổ
 * days 2008-2016; Vietnamese almanacs for the rest). 1985, 2007 and 2030 differ from China. */
static const struct {
  int year;
  const char *tet, *hung;
  int leap;
} known[] = {
    {1985, "1985-01-21", "1985-04-29", 2}, {1990, "1990-01-27", NULL, 5},
    {1995, "1995-01-31", NULL, 8},         {1998, "1998-01-28", NULL, 5},
    {2000, "2000-02-05", NULL, 0},         {2001, "2001-01-24", NULL, 4},
    {2004, "2004-01-22", NULL, 2},         {2006, "2006-01-29", NULL, 7},
    {2007, "2007-02-17", "2007-04-26", 0}, {2008, "2008-02-07", "2008-04-15", 0},
    {2009, "2009-01-26", NULL, 5},         {2010, "2010-02-14", "2010-04-23", 0},
    {2011, "2011-02-03", "2011-04-12", 0}, {2012, "2012-01-23", "2012-03-31", 4},
    {2013, "2013-02-10", "2013-04-19", 0}, {2014, "2014-01-31", "2014-04-09", 9},
    {2015, "2015-02-19", "2015-04-28", 0}, {2016, "2016-02-08", "2016-04-16", 0},
    {2017, "2017-01-28", "2017-04-06", 6}, {2018, "2018-02-16", "2018-04-25", 0},
    {2019, "2019-02-05", "2019-04-14", 0}, {2020, "2020-01-25", "2020-04-02", 4},
    {2021, "2021-02-12", "2021-04-21", 0}, {2022, "2022-02-01", "2022-04-10", 0},
    {2023, "2023-01-22", "2023-04-29", 2}, {2024, "2024-02-10", "2024-04-18", 0},
    {2025, "2025-01-29", "2025-04-07", 6}, {2026, "2026-02-17", "2026-04-26", 0},
    {2027, "2027-02-06", "2027-04-16", 0}, {2028, "2028-01-26", "2028-04-04", 5},
    {2029, "2029-02-13", "2029-04-23", 0}, {2030, "2030-02-02", "2030-04-12", 0},
};

static void test_known_years(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
    char buf[11];
    kc_cal_day d;
    kc_cal_lunar l = {known[i].year, 1, 1, false};
    assert_int_equal(kc_cal_lunar_to_solar(&l, &d), KC_CAL_OK);
    if (strcmp(kc_cal_format_date(d, buf), known[i].tet) != 0)
      fail_msg("Tết %d: got %s want %s", known[i].year, buf, known[i].tet);
    if (known[i].hung) {
      kc_cal_lunar h = {known[i].year, 3, 10, false};
      assert_int_equal(kc_cal_lunar_to_solar(&h, &d), KC_CAL_OK);
      if (strcmp(kc_cal_format_date(d, buf), known[i].hung) != 0)
        fail_msg("Giỗ Tổ %d: got %s want %s", known[i].year, buf, known[i].hung);
    }
    if (kc_cal_lunar_leap_month(known[i].year) != known[i].leap)
      fail_msg("leap month %d: got %d want %d", known[i].year,
               kc_cal_lunar_leap_month(known[i].year), known[i].leap);
  }
}

static void test_leap_dates(void **state)
{
  (void)state;
  kc_cal_lunar l;
  kc_cal_day d;
  assert_int_equal(kc_cal_solar_to_lunar(D("2023-03-22"), &l), KC_CAL_OK);
  assert_int_equal(l.year, 2023);
  assert_int_equal(l.month, 2);
  assert_int_equal(l.day, 1);
  assert_true(l.leap);
  kc_cal_lunar bad = {2024, 2, 1, true}; /* 2024 has no leap month */
  assert_int_equal(kc_cal_lunar_to_solar(&bad, &d), KC_CAL_EINVAL);
  kc_cal_lunar bad2 = {2024, 13, 1, false};
  assert_int_equal(kc_cal_lunar_to_solar(&bad2, &d), KC_CAL_EINVAL);
  kc_cal_lunar out = {1899, 11, 1, false}; /* exists, but before 1900-01-01 */
  assert_int_equal(kc_cal_lunar_to_solar(&out, &d), KC_CAL_ERANGE);
  assert_int_equal(kc_cal_solar_to_lunar(kc_cal_first_day() - 1, &l), KC_CAL_ERANGE);
  assert_int_equal(kc_cal_solar_to_lunar(kc_cal_last_day() + 1, &l), KC_CAL_ERANGE);
}

/* solar -> lunar -> solar for every day of 1900..2199, and month lengths are 29 or 30. */
static void test_round_trip_all_days(void **state)
{
  (void)state;
  long days = 0;
  kc_cal_lunar prev = {0, 0, 0, false};
  for (kc_cal_day x = kc_cal_first_day(); x <= kc_cal_last_day(); x++) {
    kc_cal_lunar l;
    kc_cal_day back;
    assert_int_equal(kc_cal_solar_to_lunar(x, &l), KC_CAL_OK);
    assert_int_equal(kc_cal_lunar_to_solar(&l, &back), KC_CAL_OK);
    if (back != x)
      fail_msg("round trip of day %d failed: %d-%d-%d%s -> %d", x, l.year, l.month, l.day,
               l.leap ? "L" : "", back);
    assert_in_range(l.day, 1, 30);
    if (l.day == 1 && prev.day)
      assert_in_range(prev.day, 29, 30);
    prev = l;
    days++;
  }
  assert_int_equal(days, 109573); /* 300 * 365 + 73 leap days */
}

/* The shipped table equals a fresh computation from astronomy (so nobody hand-edits it). */
static void test_table_matches_astronomy(void **state)
{
  (void)state;
  static kc_cal__lunar_month m[KC_CAL__LUNAR_MAX_MONTHS];
  size_t n = kc_cal__lunar_compute(7.0, m, KC_CAL__LUNAR_MAX_MONTHS);
  assert_int_equal(n, kc_cal__lunar_nmonths);
  assert_int_equal(m[0].start, kc_cal__lunar_base);
  for (size_t i = 0; i + 1 < n; i++) {
    uint32_t v = kc_cal__lunar_months[i];
    assert_int_equal(kc_cal__lunar_base + KC_CAL__LUNAR_OFF(v), m[i].start);
    assert_int_equal(KC_CAL__LUNAR_MONTH(v), m[i].month);
    assert_int_equal(KC_CAL__LUNAR_LEAP(v), m[i].leap);
    assert_int_equal(KC_CAL__LUNAR_YEAR(v), m[i].year);
  }
}

/* Spot checks of the astronomy against published instants (NASA new moon tables, UT). */
static void test_astronomy(void **state)
{
  (void)state;
  /* New moon 2000-01-06 18:14 UT (JD 2451550.26). */
  assert_true(kc_cal__new_moon_jd(0) > 2451550.25 && kc_cal__new_moon_jd(0) < 2451550.27);
  /* December solstice 2023: 2023-12-22 03:27 UT, Sun at 270 degrees. */
  double jd = 2460300.644;
  double lon = kc_cal__sun_longitude(jd);
  assert_true(lon > 269.98 && lon < 270.02);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_civil),
      cmocka_unit_test(test_known_years),
      cmocka_unit_test(test_leap_dates),
      cmocka_unit_test(test_round_trip_all_days),
      cmocka_unit_test(test_table_matches_astronomy),
      cmocka_unit_test(test_astronomy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
