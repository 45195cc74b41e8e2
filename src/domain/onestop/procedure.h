/* procedure.h: the catalog of administrative procedures (thủ tục hành chính) the one-stop
 * desks receive: time limit, fee, dossier components, steps across units, legal basis. Input
 * records are JSON objects as the API takes them (docs/api.md); the domain checks every member
 * and names the offending one. Published procedures are readable without an account. */
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

kc_err kc_procedure_create(kc_ctx *ctx, json_t *in, json_t **out) KC_WUR;
/* Members present in `in` change; "version" is required. */
kc_err kc_procedure_update(kc_ctx *ctx, int64_t id, json_t *in, json_t **out) KC_WUR;
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
