/* The calendar as three arrays over every day 1900..2199: off flag + reason, and the rank of
 * each day among working days; plus the inverse (k-th working day). Every query is then one or
 * two array reads. */
#include "calendar/workday.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/holiday.h"

struct kc_cal_calendar {
  kc_cal_day first; /* 1900-01-01 */
  int32_t ndays;
  uint8_t *off;     /* 1 = day off */
  uint8_t *tag;     /* what decided the kind, see TAG_* (for building only) */
  uint16_t *reason; /* index into reasons */
  int32_t *rank;    /* working days in [first, day] */
  kc_cal_day *nth;  /* nth[k] = k-th working day (1-based); nth[0] unused */
  int32_t nwork;
  char **reasons;
  size_t nreasons, capreasons;
};

enum { TAG_PLAIN, TAG_HOLIDAY, TAG_COMP };

static void *xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("kc_calendar: out of memory\n", stderr);
    abort();
  }
  return p;
}

static uint16_t intern(kc_cal_calendar *c, const char *s)
{
  for (size_t i = 0; i < c->nreasons; i++)
    if (strcmp(c->reasons[i], s) == 0)
      return (uint16_t)i;
  if (c->nreasons == c->capreasons) {
    c->capreasons = c->capreasons ? c->capreasons * 2 : 32;
    char **r = realloc(c->reasons, c->capreasons * sizeof(*r));
    if (!r) {
      fputs("kc_calendar: out of memory\n", stderr);
      abort();
    }
    c->reasons = r;
  }
  size_t n = strlen(s) + 1;
  c->reasons[c->nreasons] = xcalloc(n, 1);
  memcpy(c->reasons[c->nreasons], s, n);
  assert(c->nreasons < UINT16_MAX);
  return (uint16_t)c->nreasons++;
}

static uint16_t intern2(kc_cal_calendar *c, const char *prefix, const char *name)
{
  char buf[KC_CAL_NAME_MAX + 32];
  snprintf(buf, sizeof(buf), "%s%s", prefix, name);
  return intern(c, buf);
}

void kc_cal_calendar_free(kc_cal_calendar *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->nreasons; i++)
    free(c->reasons[i]);
  free(c->reasons);
  free(c->off);
  free(c->tag);
  free(c->reason);
  free(c->rank);
  free(c->nth);
  free(c);
}

static bool declared(const kc_cal_schedule *s, int year)
{
  for (size_t i = 0; s && i < s->n_years; i++)
    if (s->years[i].year == year)
      return true;
  return false;
}

static int cmp_entry(const void *a, const void *b)
{
  const kc_cal_entry *x = a, *y = b;
  return (x->day > y->day) - (x->day < y->day);
}

kc_cal_err kc_cal_calendar_build(const kc_cal_schedule *official, kc_cal_calendar **out)
{
  *out = NULL;
  kc_cal_err rc = KC_CAL_OK;
  kc_cal_entry *sorted = NULL;
  kc_cal_calendar *c = xcalloc(1, sizeof(*c));
  c->first = kc_cal_first_day();
  c->ndays = kc_cal_last_day() - c->first + 1;
  c->off = xcalloc((size_t)c->ndays, 1);
  c->tag = xcalloc((size_t)c->ndays, 1);
  c->reason = xcalloc((size_t)c->ndays, sizeof(*c->reason));
  c->rank = xcalloc((size_t)c->ndays, sizeof(*c->rank));
  uint16_t r_plain = intern(c, ""), r_weekend = intern(c, "weekend");

  /* 1. Weekly rest: Saturday and Sunday (public servants' 40-hour week). */
  for (int32_t i = 0; i < c->ndays; i++) {
    bool we = kc_cal_weekday(c->first + i) >= 6;
    c->off[i] = we;
    c->reason[i] = we ? r_weekend : r_plain;
  }

  /* 2. Statutory holidays; in years with an official schedule the PM-decided days come from
   *    the schedule instead. */
  kc_cal_holiday hol[KC_CAL_MAX_HOLIDAYS_PER_YEAR];
  for (int y = KC_CAL_MIN_YEAR; y <= KC_CAL_MAX_YEAR; y++) {
    bool has_official = declared(official, y);
    size_t n = kc_cal_holidays_of_year(y, hol);
    for (size_t k = 0; k < n; k++) {
      if (has_official && hol[k].pm_decided)
        continue;
      int32_t i = hol[k].day - c->first;
      if (i < 0 || i >= c->ndays)
        continue;
      c->off[i] = 1;
      c->tag[i] = TAG_HOLIDAY;
      c->reason[i] = intern2(c, "holiday:", kc_cal_holiday_name(hol[k].id));
    }
  }

  /* 3. Compensatory days (Labour Code 2019 art. 111.3; 2012 art. 110.3; 1994 art. 73): a
   *    holiday on the weekly rest day moves to the next working day, in date order so that
   *    several weekend holidays take successive days. */
  for (int32_t i = 0; i < c->ndays; i++) {
    if (c->tag[i] != TAG_HOLIDAY || kc_cal_weekday(c->first + i) < 6)
      continue;
    int32_t j = i + 1;
    while (j < c->ndays && (c->tag[j] != TAG_PLAIN || kc_cal_weekday(c->first + j) >= 6))
      j++;
    if (j < c->ndays) {
      const char *name = c->reasons[c->reason[i]] + strlen("holiday:");
      char nm[KC_CAL_NAME_MAX];
      snprintf(nm, sizeof(nm), "%s", name);
      c->off[j] = 1;
      c->tag[j] = TAG_COMP;
      c->reason[j] = intern2(c, "compensatory:", nm);
    }
  }

  /* 4. Official entries win over everything above. */
  if (official && official->n_entries) {
    size_t n = official->n_entries;
    sorted = xcalloc(n, sizeof(*sorted));
    memcpy(sorted, official->entries, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_entry);
    uint16_t r_swap = intern(c, "swapped-workday");
    for (size_t k = 0; k < n; k++) {
      if (k > 0 && sorted[k].day == sorted[k - 1].day) {
        rc = KC_CAL_EDUP;
        goto out;
      }
      int32_t i = sorted[k].day - c->first;
      if (i < 0 || i >= c->ndays) {
        rc = KC_CAL_ERANGE;
        goto out;
      }
      if (sorted[k].kind == KC_CAL_ENTRY_WORKDAY) {
        c->off[i] = 0;
        c->reason[i] = r_swap;
      } else {
        /* Keep the statutory reason where the rules already agree; name the rest. */
        if (c->tag[i] == TAG_PLAIN)
          c->reason[i] = intern2(c, "official:", sorted[k].name);
        c->off[i] = 1;
      }
    }
  }

  /* 5. Ranks and the inverse table. */
  int32_t r = 0;
  for (int32_t i = 0; i < c->ndays; i++) {
    r += !c->off[i];
    c->rank[i] = r;
  }
  c->nwork = r;
  c->nth = xcalloc((size_t)r + 1, sizeof(*c->nth));
  for (int32_t i = 0; i < c->ndays; i++)
    if (!c->off[i])
      c->nth[c->rank[i]] = c->first + i;
  free(c->tag);
  c->tag = NULL;

out:
  free(sorted);
  if (rc != KC_CAL_OK) {
    kc_cal_calendar_free(c);
    return rc;
  }
  *out = c;
  return KC_CAL_OK;
}

static bool idx(const kc_cal_calendar *c, kc_cal_day d, int32_t *i)
{
  *i = d - c->first;
  return *i >= 0 && *i < c->ndays;
}

kc_cal_err kc_cal_day_kind_of(const kc_cal_calendar *c, kc_cal_day day, kc_cal_day_kind *kind,
                              const char **reason)
{
  int32_t i;
  if (!idx(c, day, &i))
    return KC_CAL_ERANGE;
  if (kind)
    *kind = c->off[i] ? KC_CAL_OFF : KC_CAL_WORK;
  if (reason)
    *reason = c->reasons[c->reason[i]];
  return KC_CAL_OK;
}

bool kc_cal_is_workday(const kc_cal_calendar *c, kc_cal_day day)
{
  int32_t i;
  return idx(c, day, &i) && !c->off[i];
}

kc_cal_err kc_cal_add_workdays(const kc_cal_calendar *c, kc_cal_day d, int n, kc_cal_day *out)
{
  int32_t i;
  if (!idx(c, d, &i))
    return KC_CAL_ERANGE;
  /* rank[i] is the rank of d if d works, else of the last working day before d. */
  int64_t k;
  if (n > 0)
    k = (int64_t)c->rank[i] + n;
  else if (n == 0)
    k = c->off[i] ? (int64_t)c->rank[i] + 1 : c->rank[i];
  else
    k = (int64_t)c->rank[i] - (c->off[i] ? 0 : 1) + n + 1;
  if (k < 1 || k > c->nwork)
    return KC_CAL_ERANGE;
  *out = c->nth[k];
  return KC_CAL_OK;
}

kc_cal_err kc_cal_count_workdays(const kc_cal_calendar *c, kc_cal_day a, kc_cal_day b, int32_t *out)
{
  int32_t i, j;
  if (!idx(c, a, &i) || !idx(c, b, &j))
    return KC_CAL_ERANGE;
  *out = c->rank[j] - c->rank[i];
  return KC_CAL_OK;
}

/* ---- instants ---- */

kc_cal_day kc_cal_day_of_instant(int64_t t)
{
  int64_t s = t + KC_CAL_TZ_SECONDS;
  int64_t d = s / 86400 - (s % 86400 < 0);
  return (kc_cal_day)d;
}

int kc_cal_minute_of_instant(int64_t t)
{
  int64_t s = t + KC_CAL_TZ_SECONDS;
  int64_t r = s % 86400;
  if (r < 0)
    r += 86400;
  return (int)(r / 60);
}

int64_t kc_cal_instant_at(kc_cal_day day, int minute)
{
  return (int64_t)day * 86400 + (int64_t)minute * 60 - KC_CAL_TZ_SECONDS;
}

kc_cal_hours kc_cal_hours_default(void)
{
  kc_cal_hours h = {8 * 60, 12 * 60, 13 * 60, 17 * 60};
  return h;
}

static bool hours_ok(const kc_cal_hours *h)
{
  return h && h->am_start >= 0 && h->am_start < h->am_end && h->am_end <= h->pm_start &&
         h->pm_start < h->pm_end && h->pm_end <= 1440;
}

kc_cal_err kc_cal_count_start(const kc_cal_calendar *c, int64_t received, int cutoff_minute,
                              kc_cal_day *out)
{
  kc_cal_day d = kc_cal_day_of_instant(received);
  int32_t i;
  if (!idx(c, d, &i))
    return KC_CAL_ERANGE;
  bool late = cutoff_minute >= 0 && kc_cal_minute_of_instant(received) >= cutoff_minute;
  if (!c->off[i] && !late) {
    *out = d;
    return KC_CAL_OK;
  }
  return kc_cal_add_workdays(c, d, 1, out);
}

kc_cal_err kc_cal_due_date(const kc_cal_calendar *c, int64_t received, int n, int cutoff_minute,
                           kc_cal_day *out)
{
  if (n < 0)
    return KC_CAL_EINVAL;
  kc_cal_day start;
  kc_cal_err e = kc_cal_count_start(c, received, cutoff_minute, &start);
  if (e != KC_CAL_OK)
    return e;
  return kc_cal_add_workdays(c, start, n, out);
}

/* Office minutes elapsed on a working day by local minute m. */
static int64_t worked_by(const kc_cal_hours *h, int m)
{
  int64_t am = h->am_end - h->am_start;
  if (m <= h->am_start)
    return 0;
  if (m <= h->am_end)
    return m - h->am_start;
  if (m <= h->pm_start)
    return am;
  if (m <= h->pm_end)
    return am + (m - h->pm_start);
  return am + (h->pm_end - h->pm_start);
}

kc_cal_err kc_cal_add_work_minutes(const kc_cal_calendar *c, const kc_cal_hours *h, int64_t t,
                                   int64_t minutes, int64_t *out)
{
  if (!hours_ok(h) || minutes < 0)
    return KC_CAL_EINVAL;
  kc_cal_day d = kc_cal_day_of_instant(t);
  int32_t i;
  if (!idx(c, d, &i))
    return KC_CAL_ERANGE;
  if (minutes == 0) {
    *out = t;
    return KC_CAL_OK;
  }
  int64_t am = h->am_end - h->am_start;
  int64_t per_day = am + (h->pm_end - h->pm_start);
  /* Position on a global office-time axis: whole working days before d, plus today's part. */
  int64_t before = c->rank[i] - (c->off[i] ? 0 : 1);
  int64_t pos = before * per_day + (c->off[i] ? 0 : worked_by(h, kc_cal_minute_of_instant(t)));
  int64_t target = pos + minutes;
  /* target > 0, so (target - 1) / per_day picks the day on which it ends, ending at a session
   * end rather than at the start of the next one. */
  int64_t k = (target - 1) / per_day + 1;
  if (k > c->nwork)
    return KC_CAL_ERANGE;
  int64_t rem = target - (k - 1) * per_day; /* 1..per_day */
  int minute = (int)(rem <= am ? h->am_start + rem : h->pm_start + (rem - am));
  *out = kc_cal_instant_at(c->nth[k], minute);
  return KC_CAL_OK;
}

kc_cal_err kc_cal_add_half_days(const kc_cal_calendar *c, const kc_cal_hours *h, int64_t t, int n,
                                int64_t *out)
{
  if (!hours_ok(h) || n < 1)
    return KC_CAL_EINVAL;
  kc_cal_day d = kc_cal_day_of_instant(t);
  int32_t i;
  if (!idx(c, d, &i))
    return KC_CAL_ERANGE;
  /* Sessions are numbered 2k-1 (morning) and 2k (afternoon) of the k-th working day. The first
   * one counted starts at or after t. */
  int m = kc_cal_minute_of_instant(t);
  int64_t first;
  if (c->off[i])
    first = 2 * (int64_t)c->rank[i] + 1;
  else if (m <= h->am_start)
    first = 2 * (int64_t)c->rank[i] - 1;
  else if (m <= h->pm_start)
    first = 2 * (int64_t)c->rank[i];
  else
    first = 2 * (int64_t)c->rank[i] + 1;
  int64_t last = first + n - 1;
  int64_t k = (last + 1) / 2;
  if (k < 1 || k > c->nwork)
    return KC_CAL_ERANGE;
  *out = kc_cal_instant_at(c->nth[k], last % 2 ? h->am_end : h->pm_end);
  return KC_CAL_OK;
}
