/* procedure.h: the catalog of administrative procedures (thủ tục hành chính) the one-stop
 * desks receive: time limit, fee, dossier components, steps across units, legal basis. Writes
 * take a kc_procedure_in, read from a JSON record as the API, the CSV import and the CLI take
 * it (docs/api.md) by the one reader kc_procedure_in_from_json, which checks every member and
 * names the offending one. Published procedures are readable without an account. */
#ifndef KC_DOMAIN_PROCEDURE_H
#define KC_DOMAIN_PROCEDURE_H
#include "domain/core/ctx.h"
#include "domain/onestop/onestop.h"
#include <jansson.h>

#define KC_PROCEDURE_MAX_COMPONENTS 60
#define KC_PROCEDURE_MAX_STEPS 20
#define KC_PROCEDURE_IMPORT_MAX 5000

typedef struct kc_procedure_filter {
  const char *q;     /* accent-insensitive words of the name, or a code prefix */
  const char *field; /* exact field (lĩnh vực) */
  const char *level; /* city, district, commune */
  int64_t unit_id;   /* implementing unit */
  bool public_only;  /* only published ones (the public pages) */
  int64_t limit, offset;
} kc_procedure_filter;

/* A dossier component (giấy tờ) as stored: its name, the originals and copies asked for, the
 * name of its form (mẫu đơn, tờ khai) or NULL. */
typedef struct kc_procedure_component_in {
  const char *name, *form;
  int64_t originals, copies;
} kc_procedure_component_in;

/* A step of the procedure: its name, the unit that does it (0: none) and its time in half
 * working days. */
typedef struct kc_procedure_step_in {
  const char *name;
  int64_t unit_id, half_days;
} kc_procedure_step_in;

/* A checked procedure record. In an update NULL strings, unit_id 0, kind -1, cutoff -2,
 * published -1 and has_components/has_steps false leave the member unchanged. Strings and
 * arrays are owned by ctx's arena. */
typedef struct kc_procedure_in {
  const char *code, *name, *field, *level, *fee, *requirements, *result, *legal_basis, *source;
  int64_t unit_id;
  int amount, kind; /* kind: a kc_limit_kind, -1: unchanged */
  int cutoff;       /* minute of the day; -1: none, -2: unchanged */
  int published;    /* 0 or 1, -1: unchanged */
  int64_t version;
  bool has_components, has_steps;
  const kc_procedure_component_in *components;
  size_t ncomponents;
  const kc_procedure_step_in *steps;
  size_t nsteps;
} kc_procedure_in;

/* The one reader of a procedure record (the API's body, an item of a JSON or CSV import, the
 * CLI's): fee as a number of đồng or text, a limit in days or hours, components as names or
 * objects, steps in days that halve, units by unit_id or unit_code (looked up, so it takes
 * the context). `create`: the members a new record needs must be present. On error ctx
 * names the member (components[i], steps[i], ...). Whether the steps fit the limit depends on
 * the stored record, so create and update check it. */
kc_err kc_procedure_in_from_json(kc_ctx *ctx, json_t *o, bool create, kc_procedure_in *in) KC_WUR;

kc_err kc_procedure_create(kc_ctx *ctx, const kc_procedure_in *in, json_t **out) KC_WUR;
/* Members set in `in` change; the version must be the record's. */
kc_err kc_procedure_update(kc_ctx *ctx, int64_t id, const kc_procedure_in *in, json_t **out) KC_WUR;
/* public_only: unpublished ones are not found. */
kc_err kc_procedure_get(kc_ctx *ctx, int64_t id, bool public_only, json_t **out) KC_WUR;
kc_err kc_procedure_list(kc_ctx *ctx, const kc_procedure_filter *f, json_t **items,
                         int64_t *total) KC_WUR;
/* The fields (lĩnh vực) in use, with counts, for the catalog's filter. */
kc_err kc_procedure_fields(kc_ctx *ctx, bool public_only, json_t **items) KC_WUR;
/* Creates or updates (by code) every record of the array in one transaction; units may be
 * named by unit_code instead of unit_id. An error names items[i].member and writes nothing. */
kc_err kc_procedure_import(kc_ctx *ctx, json_t *arr, int *created, int *updated) KC_WUR;
/* Every procedure as import takes them back (with unit codes). */
kc_err kc_procedure_export(kc_ctx *ctx, json_t **arr) KC_WUR;

/* Stores the form file (mẫu đơn, tờ khai) of component `index` (0-based): the bytes go to the
 * content-addressed store under files_dir and the component shows {"sha256","filename",
 * "content_type","size"} as its "form_file" (kept by the component's name, so reordering the
 * list keeps it). Who may edit the procedure may do it; audited; the version moves. */
kc_err kc_procedure_set_form(kc_ctx *ctx, const char *files_dir, int64_t id, int64_t index,
                             const char *filename, const char *content_type, const void *data,
                             size_t len, json_t **out) KC_WUR;
/* The form file of component `index`: its record (a new reference) and the stored file's path
 * (arena-owned). public_only: of a published procedure only. KC_ENOTFOUND when none. */
kc_err kc_procedure_form(kc_ctx *ctx, const char *files_dir, int64_t id, int64_t index,
                         bool public_only, json_t **file, const char **path) KC_WUR;

/* For the dossier module: the limit, level, unit and steps of a procedure. Strings and the
 * steps array (a new reference the caller releases) are arena/caller-owned. */
typedef struct kc_procedure_row {
  int64_t id, unit_id;
  const char *code, *name, *level, *unit_path, *unit_kind, *components;
  kc_limit limit;
  json_t *steps;
  bool published;
} kc_procedure_row;
kc_err kc_procedure_load(kc_ctx *ctx, int64_t id, kc_procedure_row *out) KC_WUR;

#endif
