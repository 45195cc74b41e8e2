/* jsonw.h: a streaming JSON writer into a growable buffer with a hard size cap, for answers
 * that are written row by row (task lists) instead of being built as jansson trees and
 * dumped. The output is compact and byte-for-byte what json_dumps(JSON_COMPACT) prints for
 * the same values; see docs/internals/jsonw.md. */
#ifndef KC_BASE_JSONW_H
#define KC_BASE_JSONW_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting of objects and arrays a writer accepts. */
#define KC_JSONW_MAX_DEPTH 63

typedef struct kc_jsonw {
  char *buf;       /* malloc'd; NULL until the first write */
  size_t len, cap; /* bytes written, bytes allocated */
  size_t max;      /* hard cap on len */
  bool too_big;    /* a write would have passed max: everything after it was dropped */
  bool after_key;  /* a member's key was written, its value is next */
  int depth;       /* open objects and arrays */
  uint64_t comma;  /* bit d: level d has a value already, the next one needs a comma */
  uint64_t object; /* bit d: level d is an object (keys expected) */
} kc_jsonw;

/* ---- life cycle ---- */

/* Initialises an empty writer that will hold at most `max` bytes of JSON; `reserve` bytes
 * are allocated at the first write (0: a small default). Nothing is allocated here. */
void kc_jsonw_init(kc_jsonw *w, size_t reserve, size_t max);
/* Frees the buffer; the writer is empty again, as after kc_jsonw_init with the same cap.
 * NULL-safe. */
void kc_jsonw_free(kc_jsonw *w);
/* Hands over the text written so far: *out is NUL-terminated, malloc'd, and now owned by
 * the caller (release it with free(3)); *len is its length without the NUL. The writer is
 * left empty. KC_ETOOLARGE when the cap was reached (*out NULL, *len 0, the buffer freed).
 * Every object and array must be closed. */
kc_err kc_jsonw_take(kc_jsonw *w, char **out, size_t *len) KC_WUR;
/* The text written so far, not NUL-terminated, still owned by the writer (valid until the
 * next write); NULL when the cap was reached. */
const char *kc_jsonw_data(const kc_jsonw *w, size_t *len);
/* The number of bytes written so far. This function can't fail. */
size_t kc_jsonw_len(const kc_jsonw *w);

/* ---- values ----
 * Each writes one value: at the top level, as an array element, or as the value of the
 * member whose key was just written. Commas are placed by the writer; values written one
 * after another at the top level are not separated, so a writer can also hold a run of
 * values that the caller cuts apart with kc_jsonw_len (and copies with kc_jsonw_raw).
 * None of these can
 * fail: out of memory aborts, and past the cap writes are dropped (kc_jsonw_take reports
 * it). Misuse (a key outside an object, a value where a key is due, unbalanced ends, more
 * than KC_JSONW_MAX_DEPTH levels) is caught by assertions. */

void kc_jsonw_object_begin(kc_jsonw *w);
void kc_jsonw_object_end(kc_jsonw *w);
void kc_jsonw_array_begin(kc_jsonw *w);
void kc_jsonw_array_end(kc_jsonw *w);
/* A member's key, inside an object; its value must follow. Escaped as a string. */
void kc_jsonw_key(kc_jsonw *w, const char *key);
/* A string (NUL-terminated), or null when s is NULL. Valid UTF-8 is copied as it is;
 * '"', '\\' and control characters below U+0020 are escaped as jansson does (\b \f \n \r \t,
 * else \u00XX); each ill-formed UTF-8 subpart becomes U+FFFD, so the output is always valid
 * JSON (jansson refuses such strings instead). */
void kc_jsonw_str(kc_jsonw *w, const char *s);
/* A string of n bytes, which may contain NUL (written as \u0000). s may be NULL when n is 0. */
void kc_jsonw_strn(kc_jsonw *w, const char *s, size_t n);
void kc_jsonw_int(kc_jsonw *w, int64_t v);
void kc_jsonw_bool(kc_jsonw *w, bool v);
void kc_jsonw_null(kc_jsonw *w);
/* A value that is JSON text already, copied as it is: the n bytes at json must be exactly
 * one complete value (e.g. cut from another writer). */
void kc_jsonw_raw(kc_jsonw *w, const char *json, size_t n);

/* Key and value in one call, for members of an object. The key must be a string literal
 * (anything else does not compile) of characters that need no escape: no '"', '\\' or
 * control characters (checked by an assertion). It is copied as it is, without the scan a
 * key given to kc_jsonw_key gets: a task list writes 1,250 keys per page. */
#define kc_jsonw_member_str(w, key, s) kc_jsonw__member_str((w), "" key "", sizeof(key) - 1, (s))
#define kc_jsonw_member_int(w, key, v) kc_jsonw__member_int((w), "" key "", sizeof(key) - 1, (v))
#define kc_jsonw_member_bool(w, key, v) kc_jsonw__member_bool((w), "" key "", sizeof(key) - 1, (v))
#define kc_jsonw_member_null(w, key) kc_jsonw__member_null((w), "" key "", sizeof(key) - 1)
/* A member's key given as a string literal, as for the members above. */
#define kc_jsonw_key_lit(w, key) kc_jsonw__key_lit((w), "" key "", sizeof(key) - 1)

/* What the macros above call; use the macros. */
void kc_jsonw__key_lit(kc_jsonw *w, const char *key, size_t n);
void kc_jsonw__member_str(kc_jsonw *w, const char *key, size_t n, const char *s);
void kc_jsonw__member_int(kc_jsonw *w, const char *key, size_t n, int64_t v);
void kc_jsonw__member_bool(kc_jsonw *w, const char *key, size_t n, bool v);
void kc_jsonw__member_null(kc_jsonw *w, const char *key, size_t n);

#endif
