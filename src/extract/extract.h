/* extract: reads a directive (plan, directive, official letter) written in Vietnamese
 * administrative language and lists the tasks it assigns: lead unit, support units, deadline,
 * recurrence, section. Rules and their reasons: docs/internals/extract.md. */
#ifndef KC_EXTRACT_EXTRACT_H
#define KC_EXTRACT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/mem.h"
#include "calendar/civil.h"

/* ---- Unit registry --------------------------------------------------------------------- */

/* One unit as the caller knows it (the server's unit table, or a TSV file). Strings are
 * copied by kc_extract_registry_new(); `parent` may be NULL or "". `kind` is one of the
 * glossary kinds: city, department, district, commune, public_service, division. */
typedef struct kc_extract_unit {
  int64_t id;
  const char *code, *name, *kind, *parent;
} kc_extract_unit;

typedef struct kc_extract_registry kc_extract_registry;

/* Builds a registry from `n` units and precomputes their matching forms. You own the result;
 * release it with kc_extract_registry_free(). Out of memory aborts; this can't fail. */
kc_extract_registry *kc_extract_registry_new(const kc_extract_unit *units, size_t n);

/* Reads a registry from a TSV file with the header `code name kind parent` (the format of
 * data/hanoi-units-2017.tsv); ids are the line numbers. On success stores a new registry in
 * `*out` (yours; kc_extract_registry_free()). On failure returns KC_EIO (cannot read) or
 * KC_EFIELD (bad line), writes a Vietnamese message into `err` and leaves `*out` untouched. */
KC_WUR kc_err kc_extract_registry_load_tsv(const char *path, kc_extract_registry **out, char *err,
                                           size_t errcap);

/* Number of units and the i-th unit (strings owned by the registry). These can't fail. */
size_t kc_extract_registry_count(const kc_extract_registry *reg);
const kc_extract_unit *kc_extract_registry_unit(const kc_extract_registry *reg, size_t i);

/* NULL-safe. */
void kc_extract_registry_free(kc_extract_registry *reg);

/* ---- Groups ---------------------------------------------------------------------------- */

/* Collective names ("các sở, ban, ngành") resolve to a group, not to units. */
typedef struct kc_extract_group {
  const char *id;    /* "departments", "districts", "communes", "public_service", "all_units" */
  const char *label; /* what the TSV prints: "Các sở, ban, ngành" */
  const char *kind;  /* unit kind the group stands for, or NULL for every unit */
} kc_extract_group;

/* The group table, `*n` entries, static storage. Can't fail. */
const kc_extract_group *kc_extract_groups(size_t *n);

/* ---- Result ---------------------------------------------------------------------------- */

typedef enum {
  KC_EXTRACT_REF_UNIT,       /* a registry unit: `unit` is set */
  KC_EXTRACT_REF_GROUP,      /* a collective name: `group` is set */
  KC_EXTRACT_REF_UNRESOLVED, /* matches nothing: kept as written and flagged */
} kc_extract_ref_kind;

/* A unit as named in the text. Strings live in the result's arena. */
typedef struct kc_extract_ref {
  kc_extract_ref_kind kind;
  const kc_extract_unit *unit;   /* into the registry passed to kc_extract_run() */
  const kc_extract_group *group; /* into kc_extract_groups() */
  const char *name;              /* registry name, group label, or the phrase as written */
  const char *evidence;          /* the phrase as written */
  size_t start, end;             /* byte span of the phrase in the normalised text */
} kc_extract_ref;

/* Recurrence text: "monthly:25", "quarterly:20", "yearly:12-31", "weekly:FRI", or without a
 * day "daily", "weekly", "monthly", "quarterly", "semiannual", "yearly"; "" for none. */
#define KC_EXTRACT_RECUR_LEN 24

typedef struct kc_extract_task {
  kc_extract_ref lead;
  kc_extract_ref *support; /* nsupport entries */
  size_t nsupport;
  bool has_due;
  kc_cal_day due;
  const char *due_evidence; /* phrase the deadline came from, or NULL */
  char recurrence[KC_EXTRACT_RECUR_LEN];
  const char *recurrence_evidence; /* or NULL */
  char section[32];                /* outline path, e.g. "II.1.c" or "II.2.d-2" */
  size_t start, end;               /* byte span of the source sentence(s) */
  const char *text;                /* that span, on one line */
  bool inherited;                  /* assignee came from a heading ("Giao X thực hiện:") */
  bool block_due;                  /* deadline came from a block's trailing deadline paragraph */
  double confidence;               /* 0..1 */
} kc_extract_task;

typedef struct kc_extract_result {
  char *text; /* the normalised text (NFC, layout noise removed, one paragraph per line) */
  size_t len;
  int year;        /* the document's year (issue date, else first year seen), 0 if none */
  bool has_issued; /* issue date found ("Hà Nội, ngày 20 tháng 3 năm 2017") */
  kc_cal_day issued;
  kc_extract_task *tasks; /* in document order; a task with several leads is one per lead */
  size_t count;
  kc_arena arena; /* owns every string and array above */
} kc_extract_result;

typedef struct kc_extract_options {
  int default_year; /* used when the text names no year; 0 = none */
} kc_extract_options;

/* Reads `len` bytes of UTF-8 text and extracts its tasks, resolving names against `reg`
 * (which must outlive the result: refs point into it). `opt` may be NULL. On success stores a
 * new result in `*out` (yours; kc_extract_result_free()). Returns KC_EFIELD if the input is not
 * valid UTF-8 or holds NUL/control characters (`*out` untouched). Out of memory aborts. */
KC_WUR kc_err kc_extract_run(const char *text, size_t len, const kc_extract_registry *reg,
                             const kc_extract_options *opt, kc_extract_result **out);

/* NULL-safe. */
void kc_extract_result_free(kc_extract_result *res);

/* ---- Output ---------------------------------------------------------------------------- */

typedef enum { KC_EXTRACT_TSV, KC_EXTRACT_JSON } kc_extract_format;

/* Formats the result: TSV is `lead_unit<TAB>due_date<TAB>recurrence<TAB>text`, one task a line,
 * recurrences without a day left out; JSON adds support units, section, span, evidence and
 * confidence (docs/internals/extract.md). Returns a new NUL-terminated string (yours; free(3))
 * and stores its length in `*len` if not NULL. Can't fail (out of memory aborts). */
char *kc_extract_format_result(const kc_extract_result *res, kc_extract_format fmt, size_t *len);

/* The TSV form of a recurrence: itself when it has a day, "" otherwise. Can't fail. */
const char *kc_extract_recurrence_tsv(const char *recurrence);

#endif
