/* Official yearly schedules: the days off and swapped working Saturdays announced for public
 * servants (who rest Saturday and Sunday). An in-memory list that the file parser, and later the
 * database layer, fill; workday.c turns rules + this list into a calendar.
 * File format and sources: docs/internals/calendar.md, data/calendar/README. */
#ifndef KC_CALENDAR_SCHEDULE_H
#define KC_CALENDAR_SCHEDULE_H

#include <stddef.h>

#include "calendar/civil.h"

#define KC_CAL_NAME_MAX 96   /* bytes incl. NUL, UTF-8 */
#define KC_CAL_SOURCE_MAX 48 /* source id, bytes incl. NUL */
#define KC_CAL_SOURCE_TEXT_MAX 320

typedef enum kc_cal_entry_kind {
  KC_CAL_ENTRY_OFF,     /* an announced day off (holiday period, compensatory or swapped day) */
  KC_CAL_ENTRY_WORKDAY, /* a weekend day made a working day (làm bù) */
} kc_cal_entry_kind;

/* One official day. Plain data with fixed buffers: copy it freely, no ownership. */
typedef struct kc_cal_entry {
  kc_cal_day day;
  kc_cal_entry_kind kind;
  char name[KC_CAL_NAME_MAX]; /* e.g. "Tết Nguyên đán", "Làm bù cho thứ Hai 31/12/2018" */
  char source[KC_CAL_SOURCE_MAX]; /* id of a kc_cal_source, may be empty */
} kc_cal_entry;

/* Where a year's schedule comes from ("Công văn 8726/VPCP-KGVX ngày 26/11/2024 ..."). */
typedef struct kc_cal_source {
  char id[KC_CAL_SOURCE_MAX];
  char text[KC_CAL_SOURCE_TEXT_MAX];
} kc_cal_source;

/* A declared year has an official schedule: the rule days the PM decides (Tết days, the day
 * next to 2/9) are then taken from the entries instead of the defaults. */
typedef struct kc_cal_year {
  int year;
  char source[KC_CAL_SOURCE_MAX];
} kc_cal_year;

/* Growable lists owned by the schedule. Start with kc_cal_schedule_init (or = {0}) and release
 * with kc_cal_schedule_free. Out-of-memory aborts. */
typedef struct kc_cal_schedule {
  kc_cal_entry *entries;
  size_t n_entries, cap_entries;
  kc_cal_source *sources;
  size_t n_sources, cap_sources;
  kc_cal_year *years;
  size_t n_years, cap_years;
} kc_cal_schedule;

/* Makes `s` empty. Can't fail. */
void kc_cal_schedule_init(kc_cal_schedule *s);

/* Frees what `s` owns and leaves it empty; NULL-safe. */
void kc_cal_schedule_free(kc_cal_schedule *s);

/* Appends a copy of `e`. KC_CAL_ERANGE if e->day is outside 1900..2199, KC_CAL_EINVAL if a
 * WORKDAY entry is not a Saturday or Sunday, KC_CAL_EDUP if the day is already listed. On error
 * `s` is unchanged. */
KC_CAL_WUR kc_cal_err kc_cal_schedule_add_entry(kc_cal_schedule *s, const kc_cal_entry *e);

/* Appends a source; KC_CAL_EDUP if the id exists, KC_CAL_EINVAL if id is empty or too long
 * (text is truncated to fit). On error `s` is unchanged. */
KC_CAL_WUR kc_cal_err kc_cal_schedule_add_source(kc_cal_schedule *s, const char *id,
                                                 const char *text);

/* Declares `year` as having an official schedule. KC_CAL_ERANGE outside 1900..2199,
 * KC_CAL_EDUP if already declared. On error `s` is unchanged. */
KC_CAL_WUR kc_cal_err kc_cal_schedule_declare_year(kc_cal_schedule *s, int year,
                                                   const char *source);

/* Parses schedule text (UTF-8, `len` bytes, need not be NUL-terminated) and appends what it
 * declares to `s`. Lines (fields separated by one TAB; '#' starts a comment line; blank lines
 * ignored):
 *   source<TAB>ID<TAB>description
 *   year<TAB>YYYY<TAB>SOURCE-ID
 *   YYYY-MM-DD<TAB>off|workday<TAB>name<TAB>SOURCE-ID
 * On error returns KC_CAL_ESYNTAX, KC_CAL_ERANGE, KC_CAL_EINVAL or KC_CAL_EDUP, writes a
 * Vietnamese message with the line number into err (errlen bytes, may be 0), and leaves `s`
 * exactly as it was before the call. `origin` (file name, may be NULL) prefixes the message. */
KC_CAL_WUR kc_cal_err kc_cal_schedule_parse(const char *text, size_t len, const char *origin,
                                            kc_cal_schedule *s, char *err, size_t errlen);

/* Parses every "*.tsv" file of directory `dir` in name order into `s`, as
 * kc_cal_schedule_parse. KC_CAL_EIO if the directory or a file cannot be read. On error `s` is
 * unchanged and err holds the message. */
KC_CAL_WUR kc_cal_err kc_cal_schedule_load_dir(const char *dir, kc_cal_schedule *s, char *err,
                                               size_t errlen);

/* The entry for `day`, or NULL. Linear; meant for tools and tests. */
const kc_cal_entry *kc_cal_schedule_find(const kc_cal_schedule *s, kc_cal_day day);

#endif
