/* Umbrella header of the calendar module: civil dates, the Vietnamese lunar calendar, holidays,
 * official schedules and working-day arithmetic. Depends on libc and libm only. */
#ifndef KC_CALENDAR_CALENDAR_H
#define KC_CALENDAR_CALENDAR_H

#include "calendar/civil.h"
#include "calendar/error.h"
#include "calendar/holiday.h"
#include "calendar/lunar.h"
#include "calendar/schedule.h"
#include "calendar/workday.h"

#endif
