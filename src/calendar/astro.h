/* Internal: the two astronomical quantities the Vietnamese lunar calendar needs, computed from
 * Meeus, "Astronomical Algorithms" (2nd ed.): mean-phase new moons with the periodic and
 * planetary corrections of ch. 49, the Sun's apparent longitude of ch. 25, and Delta T by the
 * Espenak-Meeus polynomials. Used by the table generator and by the test that re-derives the
 * shipped lunar table; lookups at run time never call these. */
#ifndef KC_CALENDAR_ASTRO_H
#define KC_CALENDAR_ASTRO_H

#include "calendar/civil.h"

/* Julian Day (UT) of the true new moon number k (k = 0 is the one of 2000-01-06).
 * Can't fail; accuracy is well under a minute for 1900..2200. */
double kc_cal__new_moon_jd(int k);

/* Apparent geocentric longitude of the Sun in degrees [0, 360) at Julian Day `jd_ut` (UT).
 * Can't fail; accuracy about 0.01 degree. */
double kc_cal__sun_longitude(double jd_ut);

/* Delta T = TT - UT in seconds for decimal year `year` (valid 1900..2200). Can't fail. */
double kc_cal__delta_t(double year);

/* Local civil day (in zone UTC+tz_hours) containing the instant `jd_ut`. Can't fail. */
kc_cal_day kc_cal__jd_to_local_day(double jd_ut, double tz_hours);

/* Julian Day (UT) of local midnight that starts `day` in zone UTC+tz_hours. Can't fail. */
double kc_cal__local_midnight_jd(kc_cal_day day, double tz_hours);

#endif
