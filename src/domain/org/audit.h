/* audit.h: the audit log. Every change writes, inside the transaction that makes it, who did
 * what to which record, with the record before and after; the records form a SHA-256 hash
 * chain so any later edit of the table is detected by kc_audit_verify. */
#ifndef KC_DOMAIN_AUDIT_H
#define KC_DOMAIN_AUDIT_H
#include "base/crypto.h"
#include "base/mem.h"
#include "domain/core/ctx.h"
#include <jansson.h>
#include <stdio.h>

/* Appends a record. Must run inside the caller's write transaction; on error the caller
 * rolls back. before/after may be NULL; they are serialised with sorted keys and not
 * consumed (the caller keeps its references). */
kc_err kc_audit_write(kc_ctx *ctx, const char *action, const char *entity, int64_t entity_id,
                      json_t *before, json_t *after) KC_WUR;

/* One record as it is hashed: the fields in the chain's fixed order, before/after as the
 * stored compact JSON text (NULL: none), prev_hash the predecessor's hash (64 '0's for the
 * first record). */
typedef struct kc_audit_record {
  int64_t id, at, actor_id, entity_id;
  const char *actor, *action, *entity, *before, *after, *prev_hash;
} kc_audit_record;

/* The record's SHA-256 (hex, NUL-terminated), as kc_audit_write stores it and kc_audit_verify
 * recomputes it. Scratch text goes to the arena. */
void kc_audit_hash(kc_arena *ar, const kc_audit_record *r, char out[KC_SHA256_HEX]);

typedef struct kc_audit_filter {
  const char *entity; /* NULL: any */
  int64_t entity_id;  /* 0: any */
  int64_t limit, offset;
} kc_audit_filter;

/* Lists records newest first (supervisor, admin). *items is a new JSON array the caller owns. */
kc_err kc_audit_list(kc_ctx *ctx, const kc_audit_filter *f, json_t **items, int64_t *total) KC_WUR;

/* Walks the whole chain. Returns KC_OK when intact; otherwise KC_ECONFLICT with *bad_id the
 * first record that does not verify and why written to msg. Progress goes to `progress`
 * (may be NULL) every 100,000 records. */
kc_err kc_audit_verify(kc_conn *conn, int64_t *checked, int64_t *bad_id, char *msg, size_t cap,
                       FILE *progress) KC_WUR;

#endif
