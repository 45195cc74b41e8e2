/* directive.h: directives (chỉ thị, kế hoạch, quyết định, công văn, thông báo kết luận): the
 * documents that assign tasks. Records are JSON {id, number, kind, issued_on,
 * issuer_unit_id, issuer_unit_name, signer, title, text, version, created_at, updated_at,
 * task_count}; the caller owns each json_t. */
#ifndef KC_DOMAIN_DIRECTIVE_H
#define KC_DOMAIN_DIRECTIVE_H
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_directive_in {
  const char *number, *kind, *issued_on, *signer, *title, *text; /* NULL: unchanged */
  int64_t issuer_unit_id;
  int64_t version;
} kc_directive_in;

/* Kinds: directive, plan, decision, official_letter, conclusion_notice. */
bool kc_directive_kind_valid(const char *kind);
/* Leaders, supervisors, admins and unit heads (for their own subtree's documents) issue. */
kc_err kc_directive_create(kc_ctx *ctx, const kc_directive_in *in, json_t **out) KC_WUR;
kc_err kc_directive_update(kc_ctx *ctx, int64_t id, const kc_directive_in *in, json_t **out) KC_WUR;
/* Any signed-in staff member reads directives (they are official documents). */
kc_err kc_directive_get(kc_ctx *ctx, int64_t id, json_t **out) KC_WUR;
kc_err kc_directive_list(kc_ctx *ctx, const char *q, int64_t limit, int64_t offset, json_t **items,
                         int64_t *total) KC_WUR;

struct kc_task_in;
/* Creates a directive and its tasks in one transaction (the confirm step of the directive
 * reader): either everything is written or nothing. A failing task is named in the error's
 * field as "tasks[i].<member>". *out is {"directive": {...}, "task_ids": [...]}. */
kc_err kc_directive_create_with_tasks(kc_ctx *ctx, const kc_directive_in *in,
                                      const struct kc_task_in *tasks, size_t n,
                                      json_t **out) KC_WUR;

#endif
