/* recurrence.h: the recurrences of periodic tasks and the dated instances they produce.
 * Forms: "monthly:DD", "quarterly:DD" (day DD of the last month of each quarter),
 * "yearly:MM-DD", "weekly:MON".."weekly:SUN". A day past the end of a month is clamped to
 * its last day ("monthly:31" is 28/2 in February). Pure: no database, no clock. */
#ifndef KC_DOMAIN_RECURRENCE_H
#define KC_DOMAIN_RECURRENCE_H
#include "calendar/civil.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum { KC_REC_MONTHLY, KC_REC_QUARTERLY, KC_REC_YEARLY, KC_REC_WEEKLY } kc_rec_kind;

typedef struct kc_recurrence {
  kc_rec_kind kind;
  int month; /* yearly: 1..12 */
  int day;   /* monthly/quarterly/yearly: 1..31; weekly: 1 = Monday .. 7 = Sunday */
} kc_recurrence;

/* Parses a recurrence; false when the text is not one of the forms above. */
bool kc_recurrence_parse(const char *s, kc_recurrence *out);

/* One instance: its due day and its period label ("2017-04", "2017-Q2", "2017", "2017-W15"). */
typedef struct kc_rec_instance {
  kc_cal_day due;
  char period[16];
} kc_rec_instance;

/* The instances whose due day lies in [from, to], in order; at most cap are written.
 * Returns how many there are in all (may exceed cap). */
size_t kc_recurrence_instances(const kc_recurrence *r, kc_cal_day from, kc_cal_day to,
                               kc_rec_instance *out, size_t cap);

#endif
