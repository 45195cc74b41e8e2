/* Holiday rules. Years before 1995 use the 1994 Labour Code's list too: earlier regimes are out
 * of scope for a system whose data starts in 2017 (noted in docs/internals/calendar.md). */
#include "calendar/holiday.h"

#include <assert.h>

#include "calendar/lunar.h"

const char *kc_cal_holiday_name(kc_cal_holiday_id id)
{
  switch (id) {
  case KC_CAL_HOL_NEW_YEAR: return "Tết Dương lịch";
  case KC_CAL_HOL_TET: return "Tết Nguyên đán";
  case KC_CAL_HOL_HUNG_KINGS: return "Giỗ Tổ Hùng Vương";
  case KC_CAL_HOL_VICTORY: return "Ngày Chiến thắng";
  case KC_CAL_HOL_LABOUR: return "Ngày Quốc tế Lao động";
  case KC_CAL_HOL_NATIONAL: return "Quốc khánh";
  }
  return "Ngày lễ";
}

static void push(kc_cal_holiday *out, size_t *n, kc_cal_day d, kc_cal_holiday_id id, bool pm)
{
  assert(*n < KC_CAL_MAX_HOLIDAYS_PER_YEAR);
  out[*n].day = d;
  out[*n].id = id;
  out[*n].pm_decided = pm;
  (*n)++;
}

/* The day next to 2/9 the PM picked 2021-2026 follows one pattern: the day that joins the
 * holiday to a weekend, or bridges a single working day (Mon->Tue, Tue->Mon, Wed->Tue,
 * Thu->Fri, Fri->Thu, Sat->Fri, Sun->Mon). */
static kc_cal_day national_day_partner(kc_cal_day sep2)
{
  static const int delta[8] = {0, +1, -1, -1, +1, -1, -1, +1};
  return sep2 + delta[kc_cal_weekday(sep2)];
}

size_t kc_cal_holidays_of_year(int year, kc_cal_holiday *out)
{
  size_t n = 0;
  if (year < KC_CAL_MIN_YEAR || year > KC_CAL_MAX_YEAR)
    return 0;
  push(out, &n, kc_cal_from_ymd(year, 1, 1), KC_CAL_HOL_NEW_YEAR, false);

  kc_cal_lunar tet = {year, 1, 1, false};
  kc_cal_day tet_day;
  if (kc_cal_lunar_to_solar(&tet, &tet_day) == KC_CAL_OK) {
    /* Labour Code 2012 (in force 2013-05-01) raised Tết from 4 to 5 days; first used 2014. */
    int before = year >= 2014 ? 2 : 1;
    for (int i = -before; i < 3; i++)
      push(out, &n, tet_day + i, KC_CAL_HOL_TET, true);
  }

  /* Giỗ Tổ Hùng Vương became a paid holiday by the 2007 amendment of the Labour Code. */
  kc_cal_lunar hung = {year, 3, 10, false};
  kc_cal_day hung_day;
  bool has_hung = year >= 2007 && kc_cal_lunar_to_solar(&hung, &hung_day) == KC_CAL_OK;

  kc_cal_day apr30 = kc_cal_from_ymd(year, 4, 30);
  if (has_hung && hung_day < apr30)
    push(out, &n, hung_day, KC_CAL_HOL_HUNG_KINGS, false);
  push(out, &n, apr30, KC_CAL_HOL_VICTORY, false);
  push(out, &n, apr30 + 1, KC_CAL_HOL_LABOUR, false);
  if (has_hung && hung_day > apr30 + 1)
    push(out, &n, hung_day, KC_CAL_HOL_HUNG_KINGS, false);
  /* (10/3 lunar falls between 31 Mar and 29 Apr in 1900..2199, never on 30/4 or 1/5.) */

  kc_cal_day sep2 = kc_cal_from_ymd(year, 9, 2);
  if (year >= 2021) { /* Labour Code 2019, art. 112: 2/9 plus one adjacent day */
    kc_cal_day other = national_day_partner(sep2);
    push(out, &n, other < sep2 ? other : sep2, KC_CAL_HOL_NATIONAL, other < sep2);
    push(out, &n, other < sep2 ? sep2 : other, KC_CAL_HOL_NATIONAL, other > sep2);
  } else {
    push(out, &n, sep2, KC_CAL_HOL_NATIONAL, false);
  }
  return n;
}
