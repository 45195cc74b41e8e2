/* attachment.h: files attached to a directive or a task (the text as issued, a progress or
 * completion report). Who may attach and read follows the owner: a directive's issuers attach
 * to it and every staff member reads it; a task's lead side and assigner attach, and whoever
 * sees the task reads its files. Records are JSON {id, owner, owner_id, filename,
 * content_type, size, sha256, created_at, by}. */
#ifndef KC_DOMAIN_ATTACHMENT_H
#define KC_DOMAIN_ATTACHMENT_H
#include "domain/core/ctx.h"
#include <jansson.h>

#define KC_ATTACHMENT_MAX (8 * 1024 * 1024)

/* Stores the bytes under files_dir and records them; audited. filename: the name the user
 * gave (UTF-8, ≤ 255 bytes, no '/' or control characters). */
kc_err kc_attachment_add(kc_ctx *ctx, const char *files_dir, const char *owner, int64_t owner_id,
                         const char *filename, const char *content_type, const void *data,
                         size_t len, json_t **out) KC_WUR;
kc_err kc_attachment_list(kc_ctx *ctx, const char *owner, int64_t owner_id, json_t **items) KC_WUR;
/* The record of one attachment the actor may read, and the path of its bytes (arena-owned). */
kc_err kc_attachment_get(kc_ctx *ctx, const char *files_dir, int64_t id, json_t **rec,
                         const char **path) KC_WUR;

#endif
