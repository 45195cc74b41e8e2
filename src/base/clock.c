/* clock.c: the clock and ISO 8601 instants. Civil-date arithmetic here is the small subset
 * the base layer needs; working days and the lunar calendar live in src/calendar. */
#include "base/clock.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t kc_clock_now(const kc_clock *c)
{
  if (c && c->fixed)
    return c->fixed_at;
  return (int64_t)time(NULL);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = (int)(y - era * 400);
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
  if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) || s[7] != '-' ||
      !digits(s + 8, 2, d))
    return false;
  if (*y < 1900 || *y > 2199 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
    return false;
  return true;
}

bool kc_date_valid(const char *s)
{
  int y, m, d;
  return s && strlen(s) == 10 && parse_date(s, &y, &m, &d);
}

kc_err kc_time_parse_iso(const char *s, int64_t *out)
{
  int y, mo, d, h = 0, mi = 0, se = 0, off = KC_TZ_OFFSET;
  size_t n = s ? strlen(s) : 0;
  if (n < 10 || !parse_date(s, &y, &mo, &d))
    return KC_EFIELD;
  const char *p = s + 10;
  if (*p == 'T' || *p == ' ') {
    if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
      return KC_EFIELD;
    p += 6;
    if (*p == ':') {
      if (!digits(p + 1, 2, &se))
        return KC_EFIELD;
      p += 3;
      if (*p == '.') /* fractions of a second are accepted and dropped */
        for (p++; *p >= '0' && *p <= '9'; p++)
          ;
    }
    if (h > 23 || mi > 59 || se > 59)
      return KC_EFIELD;
    if (*p == 'Z') {
      off = 0;
      p++;
    } else if (*p == '+' || *p == '-') {
      int oh, om;
      if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 14 || om > 59)
        return KC_EFIELD;
      off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
      p += 6;
    }
  }
  if (*p)
    return KC_EFIELD;
  *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  return KC_OK;
}

/* Civil date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = (int)(z - era * 146097);
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yoe + era * 400) + (*m <= 2);
}

static char *put2(char *p, int v)
{
  *p++ = (char)('0' + v / 10);
  *p++ = (char)('0' + v % 10);
  return p;
}

/* Writes "YYYY-MM-DD" (10 bytes, no NUL) for the UTC+7 day of t and returns the seconds of
 * that day. Hand-rolled: lists format two instants per row, and snprintf + gmtime_r showed
 * up in profiles of the officials search. */
static int64_t put_date(char *p, int64_t t)
{
  int64_t local = t + KC_TZ_OFFSET;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  if (y < 0 || y > 9999)
    y = 0;
  p = put2(p, y / 100);
  p = put2(p, y % 100);
  *p++ = '-';
  p = put2(p, m);
  *p++ = '-';
  put2(p, d);
  return local - days * 86400;
}

/* Copies the n bytes at s to buf as snprintf("%s") would (truncated to cap - 1, NUL
 * terminated), without its cost: task lists format two instants per row. */
static void copy_out(char *buf, size_t cap, const char *s, size_t n)
{
  if (!cap)
    return;
  if (n > cap - 1)
    n = cap - 1;
  memcpy(buf, s, n);
  buf[n] = 0;
}

void kc_time_format_iso(int64_t t, char *buf, size_t cap)
{
  char tmp[26];
  int64_t sec = put_date(tmp, t);
  char *p = tmp + 10;
  *p++ = 'T';
  p = put2(p, (int)(sec / 3600));
  *p++ = ':';
  p = put2(p, (int)(sec / 60 % 60));
  *p++ = ':';
  p = put2(p, (int)(sec % 60));
  memcpy(p, "+07:00", 7);
  copy_out(buf, cap, tmp, 25);
}

void kc_time_format_date(int64_t t, char *buf, size_t cap)
{
  char tmp[11];
  put_date(tmp, t);
  tmp[10] = 0;
  copy_out(buf, cap, tmp, 10);
}
