/* vndate.c: see vndate.h. */
#include "report/vndate.h"
#include "base/clock.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DOTS "……"

bool kc_vndate_parse(const char *iso, kc_vndate *out)
{
  int64_t t;
  if (!iso)
    return false;
  if (strlen(iso) == 10) {
    if (!kc_date_valid(iso))
      return false;
    *out = (kc_vndate){.year = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 +
                               (iso[3] - '0'),
                       .month = (iso[5] - '0') * 10 + (iso[6] - '0'),
                       .day = (iso[8] - '0') * 10 + (iso[9] - '0')};
    return true;
  }
  if (kc_time_parse_iso(iso, &t) != KC_OK)
    return false;
  time_t local = (time_t)(t + KC_TZ_OFFSET);
  struct tm tm;
  if (!gmtime_r(&local, &tm))
    return false;
  *out = (kc_vndate){.year = tm.tm_year + 1900,
                     .month = tm.tm_mon + 1,
                     .day = tm.tm_mday,
                     .hour = tm.tm_hour,
                     .minute = tm.tm_min,
                     .has_time = true};
  return true;
}

/* "ngày 05 tháng 3 năm 2017": months 1 and 2 are padded so that "tháng 1" cannot be
 * completed into "tháng 11" by hand (Decree 30/2020, Appendix I). */
static void day_phrase(const kc_vndate *d, char *buf, size_t cap)
{
  if (!d) {
    snprintf(buf, cap, "ngày " DOTS " tháng " DOTS " năm " DOTS);
    return;
  }
  snprintf(buf, cap, "ngày %02d tháng %s%d năm %d", d->day, d->month <= 2 ? "0" : "", d->month,
           d->year);
}

static void time_phrase(const kc_vndate *d, char *buf, size_t cap)
{
  if (!d || !d->has_time)
    snprintf(buf, cap, DOTS " giờ " DOTS " phút");
  else
    snprintf(buf, cap, "%02d giờ %02d phút", d->hour, d->minute);
}

static void short_phrase(const kc_vndate *d, char *buf, size_t cap)
{
  if (!d)
    snprintf(buf, cap, DOTS "/" DOTS "/" DOTS);
  else
    snprintf(buf, cap, "%02d/%02d/%d", d->day, d->month, d->year);
}

/* Copies s into buf, cut at a character boundary when it does not fit. */
static void put(const char *s, char *buf, size_t cap)
{
  if (!cap)
    return;
  size_t n = strlen(s);
  if (n >= cap) {
    n = cap - 1;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--; /* s[n] would be the first byte cut off: keep whole characters only */
  }
  memcpy(buf, s, n);
  buf[n] = 0;
}

/* The parsed value of iso, or NULL when there is none. */
static const kc_vndate *parsed(const char *iso, kc_vndate *tmp)
{
  return kc_vndate_parse(iso, tmp) ? tmp : NULL;
}

void kc_vndate_long(const char *iso, char *buf, size_t cap)
{
  kc_vndate d;
  char s[KC_VNDATE_MAX];
  day_phrase(parsed(iso, &d), s, sizeof s);
  put(s, buf, cap);
}

void kc_vndate_time(const char *iso, char *buf, size_t cap)
{
  kc_vndate d;
  char s[KC_VNDATE_MAX];
  time_phrase(parsed(iso, &d), s, sizeof s);
  put(s, buf, cap);
}

void kc_vndate_short(const char *iso, char *buf, size_t cap)
{
  kc_vndate d;
  char s[KC_VNDATE_MAX];
  short_phrase(parsed(iso, &d), s, sizeof s);
  put(s, buf, cap);
}

void kc_vndate_datetime(const char *iso, char *buf, size_t cap)
{
  kc_vndate d;
  const kc_vndate *p = parsed(iso, &d);
  char t[KC_VNDATE_MAX], day[KC_VNDATE_MAX], s[2 * KC_VNDATE_MAX + 8];
  time_phrase(p, t, sizeof t);
  day_phrase(p, day, sizeof day);
  snprintf(s, sizeof s, "%s, %s", t, day);
  put(s, buf, cap);
}

void kc_vndate_datetime_short(const char *iso, char *buf, size_t cap)
{
  kc_vndate d;
  const kc_vndate *p = parsed(iso, &d);
  char t[KC_VNDATE_MAX], day[KC_VNDATE_MAX], s[2 * KC_VNDATE_MAX + 16];
  time_phrase(p, t, sizeof t);
  short_phrase(p, day, sizeof day);
  snprintf(s, sizeof s, "%s, ngày %s", t, day);
  put(s, buf, cap);
}
