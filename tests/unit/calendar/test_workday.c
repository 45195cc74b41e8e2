/* Unit tests: holiday rules, schedule parsing, official schedules 2017-2026, working-day
 * arithmetic and instants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar/calendar.h"

static kc_cal_day D(const char *s)
{
  kc_cal_day d = 0;
  if (kc_cal_parse_date(s, strlen(s), &d) != KC_CAL_OK)
    fail_msg("bad test date %s", s);
  return d;
}

static kc_cal_calendar *rules_cal;    /* rules only */
static kc_cal_calendar *official_cal; /* rules + data/calendar */

static int setup(void **state)
{
  (void)state;
  char dir[4096], err[512] = "";
  const char *data = getenv("KC_DATA_DIR");
  snprintf(dir, sizeof(dir), "%s/calendar", data ? data : "data");
  kc_cal_schedule s;
  kc_cal_schedule_init(&s);
  if (kc_cal_schedule_load_dir(dir, &s, err, sizeof(err)) != KC_CAL_OK) {
    fprintf(stderr, "load %s: %s\n", dir, err);
    return -1;
  }
  if (kc_cal_calendar_build(&s, &official_cal) != KC_CAL_OK)
    return -1;
  kc_cal_schedule_free(&s);
  return kc_cal_calendar_build(NULL, &rules_cal) == KC_CAL_OK ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  kc_cal_calendar_free(rules_cal);
  kc_cal_calendar_free(official_cal);
  return 0;
}

static void expect_kind(const kc_cal_calendar *c, const char *day, kc_cal_day_kind want,
                        const char *reason)
{
  kc_cal_day_kind k;
  const char *why;
  assert_int_equal(kc_cal_day_kind_of(c, D(day), &k, &why), KC_CAL_OK);
  if (k != want || (reason && strcmp(why, reason) != 0))
    fail_msg("%s: got %s '%s', want %s '%s'", day, k == KC_CAL_WORK ? "work" : "off", why,
             want == KC_CAL_WORK ? "work" : "off", reason ? reason : "*");
}

/* ---- rules ---- */

static void test_rules(void **state)
{
  (void)state;
  const kc_cal_calendar *c = rules_cal;
  expect_kind(c, "2030-01-01", KC_CAL_OFF, "holiday:Tết Dương lịch");
  expect_kind(c, "2030-01-02", KC_CAL_WORK, "");
  expect_kind(c, "2030-01-05", KC_CAL_OFF, "weekend");
  /* Tết 2030 = 2 Feb (Sat): default days 31/1..4/2; Sat+Sun give 5/2 and 6/2. */
  expect_kind(c, "2030-01-31", KC_CAL_OFF, "holiday:Tết Nguyên đán");
  expect_kind(c, "2030-02-04", KC_CAL_OFF, "holiday:Tết Nguyên đán");
  expect_kind(c, "2030-02-05", KC_CAL_OFF, "compensatory:Tết Nguyên đán");
  expect_kind(c, "2030-02-06", KC_CAL_OFF, "compensatory:Tết Nguyên đán");
  expect_kind(c, "2030-02-07", KC_CAL_WORK, "");
  expect_kind(c, "2030-04-12", KC_CAL_OFF, "holiday:Giỗ Tổ Hùng Vương");
  /* Hùng Kings only since 2007: 2006-04-07 (10/3 lunar, Friday) is a working day. */
  expect_kind(c, "2006-04-07", KC_CAL_WORK, "");
  expect_kind(c, "2007-04-26", KC_CAL_OFF, "holiday:Giỗ Tổ Hùng Vương");
  /* 2/9: one day until 2020, two from 2021 (2027-09-02 Thu -> Fri 3/9). */
  expect_kind(c, "2019-09-03", KC_CAL_WORK, "");
  expect_kind(c, "2027-09-03", KC_CAL_OFF, "holiday:Quốc khánh");
  /* 2028: 30/4 Sunday -> compensatory Tuesday 2/5 (1/5 Monday is itself a holiday). */
  expect_kind(c, "2028-05-02", KC_CAL_OFF, "compensatory:Ngày Chiến thắng");
  /* Tết 4 days under the 1994 code (2005: 8/2..11/2, Tết 9/2). */
  expect_kind(c, "2005-02-08", KC_CAL_OFF, "holiday:Tết Nguyên đán");
  expect_kind(c, "2005-02-07", KC_CAL_WORK, "");
  /* Giỗ Tổ never collides with 30/4 or 1/5. */
  for (int y = 2007; y <= KC_CAL_MAX_YEAR; y++) {
    kc_cal_holiday h[KC_CAL_MAX_HOLIDAYS_PER_YEAR];
    size_t n = kc_cal_holidays_of_year(y, h);
    for (size_t i = 1; i < n; i++)
      assert_true(h[i - 1].day < h[i].day);
  }
}

/* ---- parser ---- */

static void test_parse_errors(void **state)
{
  (void)state;
  static const struct {
    const char *text, *msg;
    kc_cal_err code;
  } cases[] = {
      {"source\tx\tX\n2024-02-30\toff\tA\tx\n", "dòng 2: ngày không hợp lệ '2024-02-30'",
       KC_CAL_ESYNTAX},
      {"source\tx\tX\n\n# c\n2024-02-10\tfree\tA\tx\n", "dòng 4: loại ngày 'free' không hợp lệ",
       KC_CAL_ESYNTAX},
      {"2024-02-10\toff\tA\tnosuch\n", "dòng 1: mã nguồn 'nosuch' chưa được khai báo",
       KC_CAL_EINVAL},
      {"source\tx\tX\n2024-02-12\tworkday\tA\tx\n",
       "dòng 2: ngày làm bù 2024-02-12 không phải thứ Bảy", KC_CAL_EINVAL},
      {"source\tx\tX\n2024-02-10\toff\tA\tx\n2024-02-10\toff\tB\tx\n",
       "dòng 3: ngày 2024-02-10 đã có", KC_CAL_EDUP},
      {"source\tx\tX\n2024-02-10 off A x\n", "dòng 2: cần đúng 4 trường", KC_CAL_ESYNTAX},
      {"source\tx\tX\nyear\t1899\tx\n", "dòng 2: năm 1899 nằm ngoài phạm vi", KC_CAL_ERANGE},
      {"source\tx\tX\n2300-01-01\toff\tA\tx\n", "dòng 2: ngày '2300-01-01' nằm ngoài phạm vi",
       KC_CAL_ERANGE},
      {"source\tx\tX\nsource\tx\tY\n", "dòng 2: mã nguồn 'x' đã được khai báo với nội dung khác",
       KC_CAL_EDUP},
      {"source\tx\tX\n2024-02-10\toff\t\xff\tx\n", "dòng 2: văn bản không phải UTF-8",
       KC_CAL_ESYNTAX},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    kc_cal_schedule s;
    kc_cal_schedule_init(&s);
    char err[256];
    kc_cal_err e =
        kc_cal_schedule_parse(cases[i].text, strlen(cases[i].text), "t.tsv", &s, err, sizeof(err));
    if (e != cases[i].code || !strstr(err, cases[i].msg))
      fail_msg("case %zu: code %d (want %d), message '%s' lacks '%s'", i, e, cases[i].code, err,
               cases[i].msg);
    assert_int_equal(s.n_entries, 0); /* rolled back */
    assert_int_equal(s.n_sources, 0);
    kc_cal_schedule_free(&s);
  }
  /* A good text, with CRLF and a BOM. */
  const char ok[] =
      "\xEF\xBB\xBFsource\tx\tVăn bản X\r\nyear\t2031\tx\r\n2031-01-24\toff\tTết\tx\r\n"
      "2031-02-01\tworkday\tLàm bù\tx\r\n";
  kc_cal_schedule s;
  kc_cal_schedule_init(&s);
  char err[256];
  assert_int_equal(kc_cal_schedule_parse(ok, strlen(ok), NULL, &s, err, sizeof(err)), KC_CAL_OK);
  assert_int_equal(s.n_entries, 2);
  assert_int_equal(s.n_years, 1);
  assert_string_equal(s.entries[0].name, "Tết");
  assert_string_equal(s.sources[0].text, "Văn bản X");
  kc_cal_schedule_free(&s);
}

/* Programmatic build, as the server will do from database rows. */
static void test_build_from_entries(void **state)
{
  (void)state;
  kc_cal_schedule s;
  kc_cal_schedule_init(&s);
  assert_int_equal(kc_cal_schedule_add_source(&s, "db", "admin"), KC_CAL_OK);
  assert_int_equal(kc_cal_schedule_declare_year(&s, 2031, "db"), KC_CAL_OK);
  kc_cal_entry e = {.day = D("2031-01-20"), .kind = KC_CAL_ENTRY_OFF};
  snprintf(e.name, sizeof(e.name), "Nghỉ thêm");
  assert_int_equal(kc_cal_schedule_add_entry(&s, &e), KC_CAL_OK);
  assert_int_equal(kc_cal_schedule_add_entry(&s, &e), KC_CAL_EDUP);
  kc_cal_entry w = {.day = D("2031-01-25"), .kind = KC_CAL_ENTRY_WORKDAY};
  assert_int_equal(kc_cal_schedule_add_entry(&s, &w), KC_CAL_OK);
  kc_cal_calendar *c;
  assert_int_equal(kc_cal_calendar_build(&s, &c), KC_CAL_OK);
  expect_kind(c, "2031-01-20", KC_CAL_OFF, "official:Nghỉ thêm");
  expect_kind(c, "2031-01-25", KC_CAL_WORK, "swapped-workday");
  /* 2031 is declared, so the default Tết days (21/1..25/1) are not applied; fixed-date
   * holidays still are. */
  expect_kind(c, "2031-01-22", KC_CAL_WORK, "");
  expect_kind(c, "2031-04-30", KC_CAL_OFF, "holiday:Ngày Chiến thắng");
  kc_cal_calendar_free(c);
  kc_cal_schedule_free(&s);
}

/* ---- official schedules, written by hand from the announcements (not read from the data) ---- */

typedef struct {
  int year;
  const char *off[16]; /* Monday-Friday days off announced for the year */
  const char *work[4]; /* swapped working Saturdays */

} official_year;

static const official_year years[] = {
    {2017,
     {"2017-01-02", "2017-01-26", "2017-01-27", "2017-01-30", "2017-01-31", "2017-02-01",
      "2017-04-06", "2017-05-01", "2017-05-02", "2017-09-04"},
     {NULL}},
    {2018,
     {"2018-01-01", "2018-12-31", "2018-02-14", "2018-02-15", "2018-02-16", "2018-02-19",
      "2018-02-20", "2018-04-25", "2018-04-30", "2018-05-01", "2018-09-03"},
     {NULL}},
    {2019,
     {"2019-01-01", "2019-02-04", "2019-02-05", "2019-02-06", "2019-02-07", "2019-02-08",
      "2019-04-15", "2019-04-29", "2019-04-30", "2019-05-01", "2019-09-02"},
     {"2019-01-05", "2019-05-04"}},
    {2020,
     {"2020-01-01", "2020-01-23", "2020-01-24", "2020-01-27", "2020-01-28", "2020-01-29",
      "2020-04-02", "2020-04-30", "2020-05-01", "2020-09-02"},
     {NULL}},
    {2021,
     {"2021-01-01", "2021-02-10", "2021-02-11", "2021-02-12", "2021-02-15", "2021-02-16",
      "2021-04-21", "2021-04-30", "2021-05-03", "2021-09-02", "2021-09-03"},
     {NULL}},
    {2022,
     {"2022-01-03", "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
      "2022-04-11", "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02"},
     {NULL}},
    {2023,
     {"2023-01-02", "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
      "2023-05-01", "2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04"},
     {NULL}},
    {2024,
     {"2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
      "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03"},
     {"2024-05-04"}},
    {2025,
     {"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
      "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"},
     {"2025-04-26"}},
    {2026,
     {"2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
      "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01",
      "2026-09-02"},
     {"2026-01-10", "2026-08-22"}},
};

static void test_official_years(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
    const official_year *y = &years[i];
    char first[11], last[11];
    snprintf(first, sizeof(first), "%d-01-01", y->year);
    snprintf(last, sizeof(last), "%d-12-31", y->year);
    kc_cal_day a = D(first), b = D(last);
    int expected_work = 0;
    /* Every weekday not listed works; every listed day is off; swapped days work. */
    for (kc_cal_day d = a; d <= b; d++) {
      char buf[11];
      kc_cal_format_date(d, buf);
      bool listed_off = false, listed_work = false;
      for (size_t k = 0; k < 16 && y->off[k]; k++)
        listed_off |= strcmp(y->off[k], buf) == 0;
      for (size_t k = 0; k < 4 && y->work[k]; k++)
        listed_work |= strcmp(y->work[k], buf) == 0;
      bool want_work = listed_work || (!listed_off && kc_cal_weekday(d) < 6);
      expected_work += want_work;
      if (kc_cal_is_workday(official_cal, d) != want_work)
        fail_msg("%s: official calendar says %s, announcement says %s", buf,
                 kc_cal_is_workday(official_cal, d) ? "work" : "off", want_work ? "work" : "off");
    }
    int32_t n;
    assert_int_equal(kc_cal_count_workdays(official_cal, a - 1, b, &n), KC_CAL_OK);
    if (n != expected_work)
      fail_msg("%d: %d working days, want %d", y->year, n, expected_work);
    printf("official %d: %d working days\n", y->year, n);
  }
  expect_kind(official_cal, "2019-05-04", KC_CAL_WORK, "swapped-workday");
  expect_kind(official_cal, "2026-02-16", KC_CAL_OFF, "official:Tết Nguyên đán");
  expect_kind(official_cal, "2025-04-30", KC_CAL_OFF, "holiday:Ngày Chiến thắng");
}

/* ---- arithmetic ---- */

static uint64_t rng_state;
static uint64_t next_rand(void)
{
  /* xorshift64*: deterministic for a printed seed. */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

static void test_add_count_examples(void **state)
{
  (void)state;
  const kc_cal_calendar *c = official_cal;
  kc_cal_day out;
  char buf[11];
  /* Friday before Tết 2026 + 1 working day = Monday after the 9-day break. */
  assert_int_equal(kc_cal_add_workdays(c, D("2026-02-13"), 1, &out), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(out, buf), "2026-02-23");
  assert_int_equal(kc_cal_add_workdays(c, D("2026-02-14"), 0, &out), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(out, buf), "2026-02-23");
  assert_int_equal(kc_cal_add_workdays(c, D("2026-02-13"), 0, &out), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(out, buf), "2026-02-13");
  assert_int_equal(kc_cal_add_workdays(c, D("2026-02-23"), -1, &out), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(out, buf), "2026-02-13");
  /* Swapped Saturday counts: Friday 2019-05-03 + 1 = Saturday 2019-05-04. */
  assert_int_equal(kc_cal_add_workdays(c, D("2019-05-03"), 1, &out), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(out, buf), "2019-05-04");
  int32_t n;
  assert_int_equal(kc_cal_count_workdays(c, D("2026-02-13"), D("2026-02-23"), &n), KC_CAL_OK);
  assert_int_equal(n, 1);
  assert_int_equal(kc_cal_count_workdays(c, D("2026-02-23"), D("2026-02-13"), &n), KC_CAL_OK);
  assert_int_equal(n, -1);
  assert_int_equal(kc_cal_add_workdays(c, D("2199-12-30"), 5, &out), KC_CAL_ERANGE);
  assert_int_equal(kc_cal_add_workdays(c, D("1900-01-02"), -5, &out), KC_CAL_ERANGE);
}

static void test_add_count_properties(void **state)
{
  (void)state;
  const char *env = getenv("KC_TEST_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
  printf("test_add_count_properties: seed %llu (set KC_TEST_SEED to repeat)\n",
         (unsigned long long)seed);
  rng_state = seed | 1;
  kc_cal_day lo = D("2016-12-01"), span = D("2027-02-01") - lo; /* year ends and Tết inside */
  for (int i = 0; i < 200000; i++) {
    const kc_cal_calendar *c = i & 1 ? official_cal : rules_cal;
    kc_cal_day d = lo + (kc_cal_day)(next_rand() % (uint64_t)span);
    if (i % 5 == 0) /* sometimes anywhere in the range */
      d = kc_cal_first_day() + 300 + (kc_cal_day)(next_rand() % 108000);
    int n = (int)(next_rand() % 400);
    kc_cal_day r;
    int32_t cnt;
    assert_int_equal(kc_cal_add_workdays(c, d, n, &r), KC_CAL_OK);
    assert_true(kc_cal_is_workday(c, r));
    assert_int_equal(kc_cal_count_workdays(c, d, r, &cnt), KC_CAL_OK);
    if (n >= 1 || kc_cal_is_workday(c, d)) {
      if (cnt != n)
        fail_msg("seed %llu: count(%d, add(%d, %d)) = %d", (unsigned long long)seed, d, d, n, cnt);
    } else {
      assert_int_equal(cnt, 1); /* n = 0 from a day off: the next working day */
    }
    if (n >= 1) { /* the result is the first day reaching n: the day before has n - 1 */
      assert_int_equal(kc_cal_count_workdays(c, d, r - 1, &cnt), KC_CAL_OK);
      assert_int_equal(cnt, n - 1);
      kc_cal_day back;
      if (kc_cal_is_workday(c, d)) {
        assert_int_equal(kc_cal_add_workdays(c, r, -n, &back), KC_CAL_OK);
        assert_int_equal(back, d);
      }
    }
  }
}

/* ---- instants ---- */

static int64_t T(const char *day, int hh, int mm)
{
  return kc_cal_instant_at(D(day), hh * 60 + mm);
}

static void test_instants(void **state)
{
  (void)state;
  const kc_cal_calendar *c = official_cal;
  kc_cal_hours h = kc_cal_hours_default();
  char buf[11];
  /* 2024-01-01 00:00 UTC+7 = 2023-12-31 17:00 UTC = 1704042000. */
  assert_int_equal(T("2024-01-01", 0, 0), 1704042000);
  assert_int_equal(kc_cal_day_of_instant(1704042000 - 1), D("2023-12-31"));
  assert_int_equal(kc_cal_minute_of_instant(T("2024-03-05", 15, 30)), 15 * 60 + 30);
  kc_cal_day s;
  /* Same-day procedure, cut-off 15:00 (Decree 23/2015 art. 21). */
  assert_int_equal(kc_cal_due_date(c, T("2024-03-05", 14, 59), 0, 15 * 60, &s), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(s, buf), "2024-03-05");
  assert_int_equal(kc_cal_due_date(c, T("2024-03-05", 15, 0), 0, 15 * 60, &s), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(s, buf), "2024-03-06");
  /* Received on Friday after cut-off: counts from Monday; 3 days -> Thursday. */
  assert_int_equal(kc_cal_due_date(c, T("2024-03-08", 16, 0), 3, 15 * 60, &s), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(s, buf), "2024-03-14");
  /* Received on a holiday (30/4/2024): counts from 2/5. */
  assert_int_equal(kc_cal_count_start(c, T("2024-04-30", 9, 0), KC_CAL_NO_CUTOFF, &s), KC_CAL_OK);
  assert_string_equal(kc_cal_format_date(s, buf), "2024-05-02");
  int64_t out;
  /* 8 office hours from Monday 08:00 end Monday 17:00, not Tuesday 08:00. */
  assert_int_equal(kc_cal_add_work_minutes(c, &h, T("2024-03-04", 8, 0), 480, &out), KC_CAL_OK);
  assert_int_equal(out, T("2024-03-04", 17, 0));
  /* 4 hours from 10:00: 2 this morning, 2 after lunch -> 15:00. */
  assert_int_equal(kc_cal_add_work_minutes(c, &h, T("2024-03-04", 10, 0), 240, &out), KC_CAL_OK);
  assert_int_equal(out, T("2024-03-04", 15, 0));
  /* 4 hours from Friday 16:00 before Tết 2024 -> 1 h Fri... Tết starts Thu 8/2: from Wed 7/2
   * 16:00, 4 h = 1 h Wed + 3 h on Thu 15/2 morning -> 11:00. */
  assert_int_equal(kc_cal_add_work_minutes(c, &h, T("2024-02-07", 16, 0), 240, &out), KC_CAL_OK);
  assert_int_equal(out, T("2024-02-15", 11, 0));
  /* Half days: received Monday 09:00; the morning under way does not count. */
  assert_int_equal(kc_cal_add_half_days(c, &h, T("2024-03-04", 9, 0), 1, &out), KC_CAL_OK);
  assert_int_equal(out, T("2024-03-04", 17, 0));
  assert_int_equal(kc_cal_add_half_days(c, &h, T("2024-03-04", 8, 0), 1, &out), KC_CAL_OK);
  assert_int_equal(out, T("2024-03-04", 12, 0));
  assert_int_equal(kc_cal_add_half_days(c, &h, T("2024-03-08", 13, 30), 2, &out), KC_CAL_OK);
  assert_int_equal(out, T("2024-03-11", 17, 0));
  /* Custom hours, and rejected bad ones. */
  kc_cal_hours h2 = {7 * 60 + 30, 11 * 60 + 30, 13 * 60 + 30, 17 * 60};
  assert_int_equal(kc_cal_add_work_minutes(c, &h2, T("2024-03-04", 7, 30), 60, &out), KC_CAL_OK);
  assert_int_equal(out, T("2024-03-04", 8, 30));
  kc_cal_hours bad = {600, 500, 700, 800};
  assert_int_equal(kc_cal_add_work_minutes(c, &bad, 0, 60, &out), KC_CAL_EINVAL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rules),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_build_from_entries),
      cmocka_unit_test(test_official_years),
      cmocka_unit_test(test_add_count_examples),
      cmocka_unit_test(test_add_count_properties),
      cmocka_unit_test(test_instants),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
