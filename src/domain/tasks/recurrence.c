/* recurrence.c: see recurrence.h. */
#include "domain/tasks/recurrence.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const weekdays[] = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

static bool parse_num(const char *s, int lo, int hi, int *out)
{
  if (!*s || strlen(s) > 2)
    return false;
  int v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9')
      return false;
    v = v * 10 + (*p - '0');
  }
  if (v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

bool kc_recurrence_parse(const char *s, kc_recurrence *out)
{
  if (!s)
    return false;
  memset(out, 0, sizeof *out);
  if (!strncmp(s, "monthly:", 8)) {
    out->kind = KC_REC_MONTHLY;
    return parse_num(s + 8, 1, 31, &out->day);
  }
  if (!strncmp(s, "quarterly:", 10)) {
    out->kind = KC_REC_QUARTERLY;
    return parse_num(s + 10, 1, 31, &out->day);
  }
  if (!strncmp(s, "yearly:", 7)) {
    out->kind = KC_REC_YEARLY;
    const char *p = s + 7;
    if (strlen(p) != 5 || p[2] != '-')
      return false;
    char mm[3] = {p[0], p[1], 0};
    if (!parse_num(mm, 1, 12, &out->month) || !parse_num(p + 3, 1, 31, &out->day))
      return false;
    return out->day <= kc_cal_days_in_month(2000, out->month); /* 29/2 allowed, clamped */
  }
  if (!strncmp(s, "weekly:", 7)) {
    out->kind = KC_REC_WEEKLY;
    for (int i = 0; i < 7; i++)
      if (!strcmp(s + 7, weekdays[i])) {
        out->day = i + 1;
        return true;
      }
  }
  return false;
}

static kc_cal_day clamp_day(int y, int m, int d)
{
  int dim = kc_cal_days_in_month(y, m);
  return kc_cal_from_ymd(y, m, d > dim ? dim : d);
}

static size_t emit(kc_rec_instance *out, size_t cap, size_t n, kc_cal_day due, const char *period)
{
  if (n < cap) {
    out[n].due = due;
    snprintf(out[n].period, sizeof out[n].period, "%s", period);
  }
  return n + 1;
}

size_t kc_recurrence_instances(const kc_recurrence *r, kc_cal_day from, kc_cal_day to,
                               kc_rec_instance *out, size_t cap)
{
  size_t n = 0;
  if (to < from)
    return 0;
  int y0, m0, d0, y1, m1, d1;
  kc_cal_to_ymd(from, &y0, &m0, &d0);
  kc_cal_to_ymd(to, &y1, &m1, &d1);
  char period[16];
  if (r->kind == KC_REC_WEEKLY) {
    /* the first matching weekday on or after from */
    int wd = kc_cal_weekday(from);
    kc_cal_day d = from + ((r->day - wd + 7) % 7);
    for (; d <= to; d += 7) {
      int y, m, dd;
      kc_cal_to_ymd(d, &y, &m, &dd);
      /* ISO-like week label: the week's Monday as a date keeps labels unique and readable */
      char mon[11];
      kc_cal_format_date(d - (kc_cal_weekday(d) - 1), mon);
      snprintf(period, sizeof period, "W%s", mon);
      n = emit(out, cap, n, d, period);
    }
    return n;
  }
  for (int y = y0; y <= y1; y++) {
    for (int m = 1; m <= 12; m++) {
      kc_cal_day d;
      if (r->kind == KC_REC_MONTHLY) {
        d = clamp_day(y, m, r->day);
        snprintf(period, sizeof period, "%04d-%02d", y, m);
      } else if (r->kind == KC_REC_QUARTERLY) {
        if (m % 3)
          continue;
        d = clamp_day(y, m, r->day);
        snprintf(period, sizeof period, "%04d-Q%d", y, m / 3);
      } else {
        if (m != r->month)
          continue;
        d = clamp_day(y, m, r->day);
        snprintf(period, sizeof period, "%04d", y);
      }
      if (d >= from && d <= to)
        n = emit(out, cap, n, d, period);
    }
  }
  return n;
}
