/* Times in a directive: deadlines ("xong trước ngày 30/4/2017", "trong Quý II/2017") and
 * recurrences ("định kỳ ngày 25 hằng tháng", "thứ Sáu hàng tuần"). A date counts as a deadline
 * only right after a deadline word, which is what keeps the dates of cited documents
 * ("Nghị định số 20/2008/NĐ-CP ngày 14/02/2008") out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

static int num(const kc_doc *d, size_t i, size_t lim)
{
  if (i >= lim || d->tok[i].kind != KC_TOK_NUM || strlen(kc_tw(d, i)) > 4)
    return -1;
  return atoi(kc_tw(d, i));
}

static bool punct(const kc_doc *d, size_t i, size_t lim, const char *set)
{
  return i < lim && d->tok[i].kind == KC_TOK_PUNCT && strchr(set, kc_tw(d, i)[0]);
}

/* A year after "/" or "năm": two-digit years are this century. */
static int year_at(const kc_doc *d, size_t i, size_t lim, size_t *end)
{
  int y = num(d, i, lim);
  *end = i;
  if (y < 0)
    return -1;
  *end = i + 1;
  return y < 100 ? 2000 + y : y;
}

bool kc_extract__date_at(const kc_doc *d, size_t i, size_t lim, int year, kc_cal_day *day,
                         size_t *end)
{
  if (kc_extract__is(d, i, lim, "ngay"))
    i++;
  int dd = num(d, i, lim), mm = -1, yy = year;
  size_t e = 0;
  if (dd < 0)
    return false;
  if (kc_extract__is(d, i + 1, lim, "thang")) { /* ngày 30 tháng 4 năm 2017 */
    mm = num(d, i + 2, lim);
    e = i + 3;
    if (kc_extract__is(d, e, lim, "nam") && num(d, e + 1, lim) >= 0)
      yy = year_at(d, e + 1, lim, &e);
  } else if (punct(d, i + 1, lim, "/-.") && num(d, i + 2, lim) >= 0) { /* 30/4/2017, 30-4 */
    char sep = kc_tw(d, i + 1)[0], same[2] = {sep, '\0'};
    mm = num(d, i + 2, lim);
    e = i + 3;
    if (punct(d, e, lim, same) && num(d, e + 1, lim) >= 0)
      yy = year_at(d, e + 1, lim, &e);
    else if (sep != '/')
      return false; /* "1-2" and "1.2" are not dates without a year */
    if (punct(d, e, lim, "/") ||
        (e < lim && d->tok[e].kind == KC_TOK_WORD && d->tok[e].start == d->tok[e - 1].end))
      return false; /* a document number: 20/2008/NĐ-CP */
  } else {
    return false;
  }
  if (mm < 1 || yy <= 0 || !kc_cal_ymd_valid(yy, mm, dd))
    return false;
  *day = kc_cal_from_ymd(yy, mm, dd);
  *end = e;
  return true;
}

static int roman(const char *w)
{
  static const char *const r[] = {"i", "ii", "iii", "iv"};
  for (int k = 0; k < 4; k++)
    if (!strcmp(w, r[k]))
      return k + 1;
  return -1;
}

/* "/2017" or "năm 2017" after a month or a quarter; else the document's year. */
static int opt_year(const kc_doc *d, size_t *i, size_t lim, int year)
{
  size_t e;
  if (punct(d, *i, lim, "/") && num(d, *i + 1, lim) >= 0) {
    int y = year_at(d, *i + 1, lim, &e);
    *i = e;
    return y;
  }
  if (kc_extract__is(d, *i, lim, "nam") && num(d, *i + 1, lim) >= 1900) {
    int y = year_at(d, *i + 1, lim, &e);
    *i = e;
    return y;
  }
  return year;
}

/* A period that ends on a known day: quarter, month, year, first half. */
static bool period_at(const kc_doc *d, size_t i, size_t lim, int year, kc_cal_day *day, size_t *end)
{
  int y, m = 0, q;
  if (kc_extract__is(d, i, lim, "quy") && i + 1 < lim) {
    q = num(d, i + 1, lim) > 0 ? num(d, i + 1, lim) : roman(kc_tw(d, i + 1));
    if (q < 1 || q > 4)
      return false;
    size_t j = i + 2;
    y = opt_year(d, &j, lim, year);
    m = q * 3;
    *end = j;
  } else if (kc_extract__is(d, i, lim, "thang") && num(d, i + 1, lim) > 0) {
    m = num(d, i + 1, lim);
    size_t j = i + 2;
    y = opt_year(d, &j, lim, year);
    *end = j;
  } else if (kc_extract__is(d, i, lim, "nam") && num(d, i + 1, lim) >= 1900) {
    y = num(d, i + 1, lim);
    m = 12;
    *end = i + 2;
  } else if (kc_extract__seq(d, i, lim, "6 thang dau nam")) {
    size_t j = i + 4;
    y = year;
    if (num(d, j, lim) >= 1900)
      y = year_at(d, j, lim, &j);
    m = 6;
    *end = j;
  } else if (kc_extract__seq(d, i, lim, "cuoi nam")) {
    size_t j = i + 2;
    y = year;
    if (num(d, j, lim) >= 1900)
      y = year_at(d, j, lim, &j);
    m = 12;
    *end = j;
  } else {
    return false;
  }
  if (m < 1 || m > 12 || y < 1900 || !kc_cal_ymd_valid(y, m, 1))
    return false;
  *day = kc_cal_from_ymd(y, m, kc_cal_days_in_month(y, m));
  return true;
}

/* Tokens t-k+1..t spell `pat`. */
static bool ends_with(const kc_doc *d, size_t a, size_t t, const char *pat)
{
  size_t k = 1;
  for (const char *p = pat; *p; p++)
    k += *p == ' ';
  return t + 1 >= a + k && kc_extract__seq(d, t + 1 - k, t + 1, pat) == t + 1;
}

/* Is the time expression at token i introduced by a deadline word? */
static bool due_trigger(const kc_doc *d, size_t a, size_t i)
{
  static const char *const trig[] = {"truoc",    "cham nhat", "xong", "hoan thanh",
                                     "han",      "trong",     "den",  "thoi gian thuc hien",
                                     "thoi gian"};
  size_t t = i;
  while (t > a) {
    const char *w = kc_tw(d, t - 1);
    if (!strcmp(w, ":") || !strcmp(w, "het") || !strcmp(w, "la") || !strcmp(w, "vao") ||
        !strcmp(w, "ngay"))
      t--;
    else
      break;
  }
  if (t == a)
    return false;
  for (size_t k = 0; k < sizeof trig / sizeof *trig; k++)
    if (ends_with(d, a, t - 1, trig[k]))
      return true;
  return false;
}

static const char *weekday(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const vn[] = {"hai", "ba", "tu", "nam", "sau", "bay"};
  static const char *const en[] = {"MON", "TUE", "WED", "THU", "FRI", "SAT"};
  if (kc_extract__seq(d, i, lim, "chu nhat"))
    return "SUN";
  if (!kc_extract__is(d, i, lim, "thu") || i + 1 >= lim)
    return NULL;
  int n = num(d, i + 1, lim);
  if (n >= 2 && n <= 7)
    return en[n - 2];
  for (int k = 0; k < 6; k++)
    if (!strcmp(kc_tw(d, i + 1), vn[k]))
      return en[k];
  return NULL;
}

/* "hằng/hàng/mỗi tuần|tháng|quý|năm|ngày" at i, with the day written before it. */
static bool recur_every(const kc_doc *d, size_t a, size_t i, size_t lim, kc_when *w)
{
  if (!kc_extract__is(d, i, lim, "hang") && !kc_extract__is(d, i, lim, "moi"))
    return false;
  static const char *const per[] = {"ngay", "tuan", "thang", "quy", "nam"};
  static const char *const name[] = {"daily", "weekly", "monthly", "quarterly", "yearly"};
  int p = -1;
  for (int k = 0; k < 5; k++)
    if (kc_extract__is(d, i + 1, lim, per[k]))
      p = k;
  if (p < 0)
    return false;
  w->is_due = false;
  w->t0 = i;
  w->t1 = i + 2;
  snprintf(w->recur, sizeof w->recur, "%s", name[p]);
  kc_cal_day day;
  size_t e;
  const char *wd;
  if ((p == 2 || p == 3) && i >= a + 2 && kc_extract__is(d, i - 2, lim, "ngay") &&
      num(d, i - 1, lim) >= 1 && num(d, i - 1, lim) <= 31) {
    snprintf(w->recur, sizeof w->recur, "%s:%d", name[p], num(d, i - 1, lim));
    w->t0 = i - 2;
  } else if (p == 1 && i >= a + 2 && (wd = weekday(d, i - 2, lim)) != NULL) {
    snprintf(w->recur, sizeof w->recur, "weekly:%s", wd);
    w->t0 = i - 2;
  } else if (p == 4) {
    for (size_t b = i >= a + 5 ? i - 5 : a; b < i; b++)
      if (kc_extract__is(d, b, lim, "ngay") && kc_extract__date_at(d, b, i, 2000, &day, &e) &&
          e == i) {
        int yy, mm, dd;
        kc_cal_to_ymd(day, &yy, &mm, &dd);
        snprintf(w->recur, sizeof w->recur, "yearly:%02d-%02d", mm, dd);
        w->t0 = b;
        break;
      }
  }
  return true;
}

/* "ngày 20 (của) tháng cuối (mỗi) quý" */
static bool recur_quarter_end(const kc_doc *d, size_t i, size_t lim, kc_when *w)
{
  if (!kc_extract__is(d, i, lim, "ngay") || num(d, i + 1, lim) < 1 || num(d, i + 1, lim) > 31)
    return false;
  size_t j = i + 2;
  if (kc_extract__is(d, j, lim, "cua"))
    j++;
  size_t e = kc_extract__seq(d, j, lim, "thang cuoi quy");
  if (!e)
    e = kc_extract__seq(d, j, lim, "thang cuoi moi quy");
  if (!e)
    return false;
  w->is_due = false;
  w->t0 = i;
  w->t1 = e;
  snprintf(w->recur, sizeof w->recur, "quarterly:%d", num(d, i + 1, lim));
  return true;
}

/* "định kỳ 6 tháng", "định kỳ cuối năm", "6 tháng một lần" */
static bool recur_periodic(const kc_doc *d, size_t i, size_t lim, kc_when *w)
{
  size_t j = kc_extract__seq(d, i, lim, "dinh ky");
  int n = -1;
  size_t e = 0;
  const char *r = NULL;
  if (j) {
    e = kc_extract__seq(d, j, lim, "cuoi nam");
    if (e)
      r = "yearly";
    else if ((e = kc_extract__seq(d, j, lim, "cuoi quy")))
      r = "quarterly";
    else if (kc_extract__is(d, j + 1, lim, "thang") && (n = num(d, j, lim)) > 0)
      e = j + 2;
  } else if (num(d, i, lim) > 0 && kc_extract__is(d, i + 1, lim, "thang") &&
             (kc_extract__seq(d, i + 2, lim, "mot lan") ||
              kc_extract__seq(d, i + 2, lim, "/ lan"))) {
    n = num(d, i, lim);
    e = i + 4;
  }
  if (!r && n > 0)
    r = n == 1    ? "monthly"
        : n == 3  ? "quarterly"
        : n == 6  ? "semiannual"
        : n == 12 ? "yearly"
                  : NULL;
  if (!r)
    return false;
  w->is_due = false;
  w->t0 = i;
  w->t1 = e;
  snprintf(w->recur, sizeof w->recur, "%s", r);
  return true;
}

/* Same period, one with a day: "Hàng tháng (định kỳ trước ngày 25 hàng tháng)" is monthly:25. */
static bool subsumed(const kc_when *w, const kc_when *all, size_t n)
{
  if (w->is_due || strchr(w->recur, ':'))
    return false;
  size_t len = strlen(w->recur);
  for (size_t k = 0; k < n; k++)
    if (!all[k].is_due && !strncmp(all[k].recur, w->recur, len) && all[k].recur[len] == ':')
      return true;
  return false;
}

size_t kc_extract__when(const kc_doc *d, size_t a, size_t b, int year, kc_when *out, size_t cap)
{
  kc_when found[32];
  size_t n = 0;
  for (size_t i = a; i < b && n < 32;) {
    kc_when w = {0};
    kc_cal_day day;
    size_t e;
    if (recur_quarter_end(d, i, b, &w) || recur_periodic(d, i, b, &w)) {
      found[n++] = w;
      i = w.t1;
      continue;
    }
    if (recur_every(d, a, i, b, &w)) {
      /* the day before "hằng tháng" may have been read as a deadline already */
      while (n > 0 && found[n - 1].is_due && found[n - 1].t1 > w.t0)
        n--;
      found[n++] = w;
      i = w.t1;
      continue;
    }
    if ((kc_extract__date_at(d, i, b, year, &day, &e) || period_at(d, i, b, year, &day, &e)) &&
        due_trigger(d, a, i)) {
      /* "trước ngày 31 tháng 12 hằng năm" is a recurrence: let recur_every take it */
      if (!(kc_extract__is(d, e, b, "hang") || kc_extract__is(d, e, b, "moi"))) {
        w.is_due = true;
        w.due = day;
        w.t0 = i;
        w.t1 = e;
        found[n++] = w;
        i = e;
        continue;
      }
    }
    i++;
  }
  size_t m = 0;
  for (size_t k = 0; k < n && m < cap; k++)
    if (!subsumed(&found[k], found, n))
      out[m++] = found[k];
  return m;
}

bool kc_extract__due_lead(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const lead[] = {
      "thoi gian hoan thanh", "thoi gian thuc hien", "thoi han", "hoan thanh", "xong", "han chot",
      "thoi gian :"};
  for (size_t k = 0; k < sizeof lead / sizeof *lead; k++)
    if (kc_extract__seq(d, i, lim, lead[k]))
      return true;
  return false;
}
