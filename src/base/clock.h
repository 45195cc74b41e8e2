/* clock.h: kycuong's one clock. Production reads the system time; tests and demos fix it
 * (`--now`). Instants are Unix seconds; the civil zone is Asia/Ho_Chi_Minh (UTC+7, no DST). */
#ifndef KC_BASE_CLOCK_H
#define KC_BASE_CLOCK_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KC_TZ_OFFSET (7 * 3600)

typedef struct kc_clock {
  bool fixed;
  int64_t fixed_at; /* Unix seconds when fixed */
} kc_clock;

/* The current instant: the fixed one if set, else the system time. */
int64_t kc_clock_now(const kc_clock *c);

/* Parses ISO 8601: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (taken as UTC+7) or with a zone
 * "Z" / "+HH:MM" / "-HH:MM". Returns KC_EFIELD on anything else; *out is then unchanged. */
kc_err kc_time_parse_iso(const char *s, int64_t *out) KC_WUR;
/* Formats an instant as "YYYY-MM-DDTHH:MM:SS+07:00" into buf (at least 26 bytes). */
void kc_time_format_iso(int64_t t, char *buf, size_t cap);
/* Formats the UTC+7 date of an instant as "YYYY-MM-DD" into buf (at least 11 bytes). */
void kc_time_format_date(int64_t t, char *buf, size_t cap);
/* Checks a "YYYY-MM-DD" date string for shape and calendar validity (1900..2199). */
bool kc_date_valid(const char *s);

#endif
