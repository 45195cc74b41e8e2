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
/* The text written so far, not NUL-terminated, still owned by the writer; NULL when the
 * cap was reached. */
const char *kc_jsonw_data(const kc_jsonw *w, size_t *len);

/* ---- values ----
 * Each writes one value: at the top level, as an array element, or as the value of the
 * member whose key was just written. Commas are placed by the writer. None of these can
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

/* Key and value in one call, for members of an object. */
void kc_jsonw_member_str(kc_jsonw *w, const char *key, const char *s);
void kc_jsonw_member_int(kc_jsonw *w, const char *key, int64_t v);
void kc_jsonw_member_bool(kc_jsonw *w, const char *key, bool v);
void kc_jsonw_member_null(kc_jsonw *w, const char *key);

#endif
