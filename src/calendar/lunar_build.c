/* Vietnamese lunar calendar rules applied to astronomical events (see lunar_build.h):
 *  - a month starts on the civil day (UTC+7) of a new moon;
 *  - month 11 is the month that contains the December solstice;
 *  - when 13 new moons start between two month-11s, the first month after month 11 that holds no
 *    major solar term (solar longitude a multiple of 30 degrees) is the leap month and repeats
 *    the number of the month before it.
 * A month "holds" a term when the Sun's longitude falls into a different 30-degree sector
 * between the local midnight that starts the month and the one that starts the next month. */
#include "calendar/lunar_build.h"

#include <assert.h>
#include <math.h>

#include "calendar/astro.h"

typedef struct {
  double tz;
} ctx;

static kc_cal_day nm_day(const ctx *c, int k)
{
  return kc_cal__jd_to_local_day(kc_cal__new_moon_jd(k), c->tz);
}

static double sun_at_day_start(const ctx *c, kc_cal_day d)
{
  return kc_cal__sun_longitude(kc_cal__local_midnight_jd(d, c->tz));
}

/* Index k of the new moon that starts month 11 of lunar year `y`, i.e. the month containing
 * the December solstice of civil year y: start <= solstice day < next start. */
static int month11_k(const ctx *c, int y)
{
  /* Estimate from the mean synodic month, then walk to the exact month. */
  kc_cal_day dec20 = kc_cal_from_ymd(y, 12, 20);
  kc_cal_day k0day = kc_cal__jd_to_local_day(2451550.09766, c->tz);
  int k = (int)floor((double)(dec20 - k0day) / 29.530588861);
  for (;;) {
    double at_start = sun_at_day_start(c, nm_day(c, k));
    double at_next = sun_at_day_start(c, nm_day(c, k + 1));
    /* In December the longitude is near 270, far from the 0/360 wrap. */
    if (at_start >= 270.0)
      k--;
    else if (at_next < 270.0)
      k++;
    else
      return k;
  }
}

static bool has_major_term(const ctx *c, int k)
{
  int s0 = (int)(sun_at_day_start(c, nm_day(c, k)) / 30.0);
  int s1 = (int)(sun_at_day_start(c, nm_day(c, k + 1)) / 30.0);
  return s0 != s1;
}

size_t kc_cal__lunar_compute(double tz_hours, kc_cal__lunar_month *out, size_t cap)
{
  ctx c = {tz_hours};
  size_t n = 0;
  int k_prev = month11_k(&c, KC_CAL__LUNAR_FIRST_INTERVAL - 1);
  for (int y = KC_CAL__LUNAR_FIRST_INTERVAL; y <= KC_CAL__LUNAR_LAST_INTERVAL; y++) {
    int k_next = month11_k(&c, y);
    int count = k_next - k_prev;
    assert(count == 12 || count == 13);
    int leap_pos = -1;
    if (count == 13) {
      for (int i = 1; i < 13; i++) {
        if (!has_major_term(&c, k_prev + i)) {
          leap_pos = i;
          break;
        }
      }
      assert(leap_pos > 0);
    }
    int month = 11, year = y - 1;
    for (int i = 0; i < count; i++) {
      bool leap = i == leap_pos;
      if (i > 0 && !leap) {
        month = month % 12 + 1;
        if (month == 1)
          year = y;
      }
      if (n + 2 > cap)
        return 0;
      out[n].start = nm_day(&c, k_prev + i);
      out[n].year = year;
      out[n].month = month;
      out[n].leap = leap;
      n++;
    }
    k_prev = k_next;
  }
  out[n].start = nm_day(&c, k_prev);
  out[n].year = 0;
  out[n].month = 0;
  out[n].leap = false;
  return n + 1;
}
