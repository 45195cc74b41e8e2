/* workcal.h: the working-day calendar as the rest of kycuong uses it: rules of law plus the
 * official schedule kept in the database. A kc_workcal_cache holds the built calendar of the
 * newest schedule revision and is shared by a process's threads; calendars are reference
 * counted so a rebuild never frees one a request is still using. */
#ifndef KC_DOMAIN_WORKCAL_H
#define KC_DOMAIN_WORKCAL_H
#include "calendar/calendar.h"
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_workcal_cache kc_workcal_cache;
typedef struct kc_workcal kc_workcal; /* a built calendar with its reference count */

kc_workcal_cache *kc_workcal_cache_new(void);
/* Frees the cache; every acquired calendar must have been released. NULL-safe. */
void kc_workcal_cache_free(kc_workcal_cache *c);

/* The calendar of the current schedule revision, built if needed (a few ms). Release it
 * with kc_workcal_release. Fails only if the database cannot be read or holds an invalid
 * schedule (then ctx says why). */
kc_err kc_workcal_acquire(kc_ctx *ctx, kc_workcal_cache *c, kc_workcal **out) KC_WUR;
void kc_workcal_release(kc_workcal_cache *c, kc_workcal *w);
const kc_cal_calendar *kc_workcal_get(const kc_workcal *w);

/* Loads the .tsv files of data/calendar into the database when it holds no schedule yet; audited.
 * *loaded receives the number of entries written (0 when the table was not empty). */
kc_err kc_workcal_seed(kc_ctx *ctx, const char *dir, int *loaded) KC_WUR;

/* Days from..to (at most 800) as [{date, weekday, work, reason, lunar, lunar_leap}]. */
kc_err kc_workcal_days(kc_ctx *ctx, kc_workcal_cache *c, const char *from, const char *to,
                       json_t **items) KC_WUR;
/* {"date","n","result"}: the n-th working day after date (see kc_cal_add_workdays). */
kc_err kc_workcal_add(kc_ctx *ctx, kc_workcal_cache *c, const char *date, int64_t n,
                      json_t **out) KC_WUR;
/* {"from","to","count"}: working days in (from, to]. */
kc_err kc_workcal_count(kc_ctx *ctx, kc_workcal_cache *c, const char *from, const char *to,
                        json_t **out) KC_WUR;

/* The official schedule for a year: {"year", "declared", "source", "entries":[{id, day, kind,
 * name, source, version}], "sources":[{code,text}]}. Any signed-in role. */
kc_err kc_workcal_schedule(kc_ctx *ctx, int year, json_t **out) KC_WUR;

typedef struct kc_workcal_entry_in {
  const char *day, *kind, *name, *source; /* NULL: unchanged (update) */
  int64_t version;
} kc_workcal_entry_in;

/* Admin edits. Each checks that the resulting schedule is valid (e.g. a swapped working day
 * must fall on a weekend), bumps the schedule revision and writes an audit record. */
kc_err kc_workcal_entry_create(kc_ctx *ctx, const kc_workcal_entry_in *in, json_t **out) KC_WUR;
kc_err kc_workcal_entry_update(kc_ctx *ctx, int64_t id, const kc_workcal_entry_in *in,
                               json_t **out) KC_WUR;
kc_err kc_workcal_entry_delete(kc_ctx *ctx, int64_t id, int64_t version) KC_WUR;
/* Declares (source_code non-NULL) or undeclares a year's official schedule. source_text,
 * when given, creates or keeps the source record. */
kc_err kc_workcal_year_set(kc_ctx *ctx, int year, const char *source_code,
                           const char *source_text) KC_WUR;
kc_err kc_workcal_year_unset(kc_ctx *ctx, int year) KC_WUR;

#endif
