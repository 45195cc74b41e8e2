/* Gregorian <-> day number by the era method (400-year cycles of 146097 days), which needs no
 * tables and no loops, so every conversion is a handful of integer operations. */
#include "calendar/civil.h"

#include <stdio.h>

kc_cal_day kc_cal_from_ymd(int y, int m, int d)
{
  /* Count years from March so that the leap day is the last day of the counted year. */
  int yy = m <= 2 ? y - 1 : y;
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;                         /* 0..399 */
  int mp = (m + 9) % 12;                            /* March = 0 */
  int doy = (153 * mp + 2) / 5 + d - 1;             /* 0..365 */
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */
  return (kc_cal_day)(era * 146097 + doe - 719468); /* 719468: 0000-03-01 -> 1970-01-01 */
}

void kc_cal_to_ymd(kc_cal_day day, int *y, int *m, int *d)
{
  int32_t z = day + 719468;
  int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  int32_t doe = z - era * 146097;
  int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int32_t mp = (5 * doy + 2) / 153;
  int32_t dd = doy - (153 * mp + 2) / 5 + 1;
  int32_t mm = mp < 10 ? mp + 3 : mp - 9;
  int32_t yy = yoe + era * 400 + (mm <= 2);
  if (y)
    *y = (int)yy;
  if (m)
    *m = (int)mm;
  if (d)
    *d = (int)dd;
}

static bool is_leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int kc_cal_days_in_month(int y, int m)
{
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12)
    return 0;
  return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

kc_cal_day kc_cal_first_day(void)
{
  return kc_cal_from_ymd(KC_CAL_MIN_YEAR, 1, 1);
}

kc_cal_day kc_cal_last_day(void)
{
  return kc_cal_from_ymd(KC_CAL_MAX_YEAR, 12, 31);
}

bool kc_cal_in_range(kc_cal_day day)
{
  return day >= kc_cal_first_day() && day <= kc_cal_last_day();
}

bool kc_cal_ymd_valid(int y, int m, int d)
{
  return y >= KC_CAL_MIN_YEAR && y <= KC_CAL_MAX_YEAR && m >= 1 && m <= 12 && d >= 1 &&
         d <= kc_cal_days_in_month(y, m);
}

int kc_cal_weekday(kc_cal_day day)
{
  /* 1970-01-01 was a Thursday (ISO 4). */
  int r = (int)((day % 7 + 7) % 7);
  return (r + 3) % 7 + 1;
}

static bool digits(const char *s, size_t n, int *out)
{
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

kc_cal_err kc_cal_parse_date(const char *s, size_t len, kc_cal_day *out)
{
  int y, m, d;
  if (!s || len != KC_CAL_DATE_LEN || s[4] != '-' || s[7] != '-')
    return KC_CAL_ESYNTAX;
  if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
    return KC_CAL_ESYNTAX;
  if (m < 1 || m > 12 || d < 1 || d > kc_cal_days_in_month(y, m))
    return KC_CAL_ESYNTAX;
  if (y < KC_CAL_MIN_YEAR || y > KC_CAL_MAX_YEAR)
    return KC_CAL_ERANGE;
  *out = kc_cal_from_ymd(y, m, d);
  return KC_CAL_OK;
}

char *kc_cal_format_date(kc_cal_day day, char *buf)
{
  int y, m, d;
  kc_cal_to_ymd(day, &y, &m, &d);
  if (y < 0)
    y = 0;
  if (y > 9999)
    y = 9999;
  /* Unsigned modulo tells the compiler each field has its fixed width. */
  snprintf(buf, KC_CAL_DATE_LEN + 1, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
           (unsigned)d % 100u);
  return buf;
}
