/* fields.h: a request body declared as a table. Each kc_field names one JSON member, its type,
 * when it is required, what an explicit null means, its limits and where it goes in the
 * domain's typed input struct (offsetof). One call reads the whole body into that struct,
 * or prepares the 400 answer naming the first member that is wrong. Design:
 * docs/internals/http.md ("Bodies"). */
#ifndef KC_HTTP_FIELDS_H
#define KC_HTTP_FIELDS_H
#include "http/req.h"
#include <stddef.h>

typedef enum {
  KC_FT_STR,      /* const char *: arena copy in NFC; limit: characters (code points) */
  KC_FT_INT,      /* int64_t in [min, max] (both 0: [0, INT64_MAX]; min 1: positive) */
  KC_FT_BOOL,     /* int: 0 or 1 (the struct's preset is left when absent or null) */
  KC_FT_DATE,     /* const char *: "YYYY-MM-DD", a real calendar day */
  KC_FT_ENUM,     /* const char *: one of `values` */
  KC_FT_INT_ARRAY /* const int64_t *: positive integers, at most `max`; count at count_off */
} kc_field_type;

/* Flags. An absent member leaves the struct's member as the caller preset it ("unchanged" in
 * an update). */
#define KC_F_REQ_CREATE 1u /* must be present (not null) when creating */
#define KC_F_REQ_UPDATE 2u /* must be present (not null) when updating */
#define KC_F_REQ (KC_F_REQ_CREATE | KC_F_REQ_UPDATE)
/* An explicit null is refused ("cannot be cleared"). Without it, null clears: "" for
 * strings, dates and enums, `null_int` for integers; for booleans and arrays it is read as
 * absent. */
#define KC_F_NOT_NULL 4u
/* A string kept byte for byte: not normalised, no character limit (passwords: a hash compares
 * bytes; the domain caps their length). */
#define KC_F_RAW 8u
/* An explicit null reads as absent (whatever the type). */
#define KC_F_NULL_ABSENT 16u

typedef struct kc_field {
  const char *name; /* the JSON member, also the error's field; "a.b" is member b of object a */
  kc_field_type type;
  unsigned flags;
  size_t off;                /* offsetof the member in the input struct */
  int64_t min, max;          /* integers: range; strings: max characters; arrays: max items */
  const char *const *values; /* enums: NULL-terminated */
  int64_t null_int;          /* integers: what an explicit null stores */
  size_t count_off;          /* arrays: offsetof the size_t count */
  const char *msg;           /* when set, the message of every refusal of this member */
} kc_field;

#define KC_NFIELDS(t) (sizeof(t) / sizeof *(t))

/* Declarations for the common case of a JSON member named like the struct member m of T. */
#define KC_FIELD_STR(T, m, fl, maxc)                                                               \
  {                                                                                                \
    .name = #m, .type = KC_FT_STR, .flags = (fl), .off = offsetof(T, m), .max = (maxc)             \
  }
#define KC_FIELD_DATE(T, m, fl)                                                                    \
  {                                                                                                \
    .name = #m, .type = KC_FT_DATE, .flags = (fl), .off = offsetof(T, m)                           \
  }
#define KC_FIELD_ENUM(T, m, fl, vals)                                                              \
  {                                                                                                \
    .name = #m, .type = KC_FT_ENUM, .flags = (fl), .off = offsetof(T, m), .values = (vals)         \
  }
/* An integer in [lo, hi]; both 0 mean any non-negative integer. */
#define KC_FIELD_INT(T, m, fl, lo, hi)                                                             \
  {                                                                                                \
    .name = #m, .type = KC_FT_INT, .flags = (fl), .off = offsetof(T, m), .min = (lo), .max = (hi)  \
  }
#define KC_FIELD_BOOL(T, m, fl)                                                                    \
  {                                                                                                \
    .name = #m, .type = KC_FT_BOOL, .flags = (fl), .off = offsetof(T, m)                           \
  }
/* Positive ids into the const int64_t *m with their count in the size_t cnt. */
#define KC_FIELD_IDS(T, m, cnt, fl, maxn)                                                          \
  {                                                                                                \
    .name = #m, .type = KC_FT_INT_ARRAY, .flags = (fl), .off = offsetof(T, m), .max = (maxn),      \
    .count_off = offsetof(T, cnt)                                                                  \
  }
/* The version an update states (optimistic concurrency). */
#define KC_FIELD_VERSION(T) KC_FIELD_INT(T, version, KC_F_REQ_UPDATE, 0, 0)

/* Reads `body` (a JSON object) into the struct `in` by the table f[0..n): for each member
 * present, checks its type, null, limits, enum value, normalises strings to NFC and stores
 * the value at in + f[i].off; a required member (for `create` or update) must be present.
 * Members the table does not name are ignored. Strings and arrays are copies in r's arena,
 * so the body may be freed at once. Returns false on the first wrong member, with the 400
 * answer (code invalid_field, the member's name in field, a Vietnamese message) prepared;
 * `in` may then be partly filled. */
bool kc_body_fields(kc_req *r, json_t *body, const kc_field *f, size_t n, bool create, void *in);
/* The same for an object inside the body: the answer names its members with `prefix` before
 * them ("tasks[2]." gives "tasks[2].title"). */
bool kc_body_fields_in(kc_req *r, json_t *body, const kc_field *f, size_t n, bool create, void *in,
                       const char *prefix);

/* Parses the request's body as a JSON object (kc_body_object) and reads it with
 * kc_body_fields; the parsed tree is freed before returning. */
bool kc_req_fields(kc_req *r, const kc_field *f, size_t n, bool create, void *in);

/* Like kc_req_fields for a body that may be empty: no body reads as {}. */
bool kc_req_fields_opt(kc_req *r, const kc_field *f, size_t n, bool create, void *in);

#endif
