/* list.h: the query parameters of list endpoints, declared as a table over the members of a
 * filter struct and parsed by one function that answers 400 naming the parameter
 * (docs/internals/http.md, "Lists"). */
#ifndef KC_HTTP_LIST_H
#define KC_HTTP_LIST_H
#include "http/req.h"
#include <stddef.h>

typedef enum {
  KC_QP_STR,  /* const char *: NULL when absent */
  KC_QP_INT,  /* int64_t in [lo, hi], dflt when absent or empty */
  KC_QP_BOOL, /* bool from 0 or 1, false when absent */
  KC_QP_TRI,  /* int from 0 or 1, -1 when absent */
} kc_qp_kind;

enum { KC_QP_EMPTY_NULL = 1 }; /* KC_QP_STR: an empty value counts as absent */

typedef struct kc_qparam {
  const char *name;
  kc_qp_kind kind;
  size_t off; /* the member's offset in the filter struct */
  unsigned flags;
  int64_t lo, hi, dflt; /* KC_QP_INT */
} kc_qparam;

/* Table rows, named after the member they fill (T is the filter struct's type). */
#define KC_QP_STR(T, m, flags)                                                                     \
  {                                                                                                \
#m, KC_QP_STR, offsetof(T, m), (flags), 0, 0, 0                                                \
  }
#define KC_QP_INT(T, m, lo, hi, dflt)                                                              \
  {                                                                                                \
#m, KC_QP_INT, offsetof(T, m), 0, (lo), (hi), (dflt)                                           \
  }
#define KC_QP_ID(T, m) KC_QP_INT(T, m, 0, INT64_MAX, 0) /* an id; 0: any */
#define KC_QP_BOOL(T, m)                                                                           \
  {                                                                                                \
#m, KC_QP_BOOL, offsetof(T, m), 0, 0, 1, 0                                                     \
  }
#define KC_QP_TRI(T, m)                                                                            \
  {                                                                                                \
#m, KC_QP_TRI, offsetof(T, m), 0, 0, 1, -1                                                     \
  }
/* limit (1..500, 50) and offset (0..2^40, 0) into T's members of those names. */
#define KC_QP_PAGING(T)                                                                            \
  KC_QP_INT(T, limit, 1, 500, 50), KC_QP_INT(T, offset, 0, INT64_C(1) << 40, 0)

/* Fills the members of *out that the n rows name, in the rows' order; members no row names
 * are left as they are. False, with a 400 answer prepared naming the first bad parameter
 * (invalid UTF-8, or an integer malformed or out of range), when one is. */
bool kc_req_params(kc_req *r, const kc_qparam *t, size_t n, void *out);
#define KC_REQ_PARAMS(r, table, out)                                                               \
  kc_req_params((r), (table), sizeof(table) / sizeof *(table), (out))

/* A list endpoint: parses the query into filter (a kc_X_filter variable) by table, calls
 * fn(&r->ctx, &filter, &items, &total) and answers {"items", "total_count"} or the error. */
#define KC_REQ_LIST(r, table, filter, fn)                                                          \
  do {                                                                                             \
    if (KC_REQ_PARAMS((r), (table), &(filter))) {                                                  \
      json_t *items_ = NULL;                                                                       \
      int64_t total_ = 0;                                                                          \
      kc_err e_ = fn(&(r)->ctx, &(filter), &items_, &total_);                                      \
      kc_req_list_answer((r), e_, items_, total_);                                                 \
    }                                                                                              \
  } while (0)

/* A list export: as KC_REQ_LIST, the rows answered as a spreadsheet by kc_h_send_table
 * (handlers.h) with the columns cols (an array), title and file name. */
#define KC_REQ_EXPORT(r, table, filter, fn, cols, title, file)                                     \
  do {                                                                                             \
    if (KC_REQ_PARAMS((r), (table), &(filter))) {                                                  \
      json_t *items_ = NULL;                                                                       \
      int64_t total_ = 0;                                                                          \
      kc_err e_ = fn(&(r)->ctx, &(filter), &items_, &total_);                                      \
      if (e_)                                                                                      \
        kc_req_fail((r), e_);                                                                      \
      else                                                                                         \
        kc_h_send_table((r), items_, (cols), sizeof(cols) / sizeof *(cols), (title), (file));      \
    }                                                                                              \
  } while (0)

/* A search word and a page: the filter of lists that have nothing else. */
typedef struct kc_qpage {
  const char *q;
  int64_t limit, offset;
} kc_qpage;
extern const kc_qparam kc_qpage_params[3];
/* A list endpoint over a domain function of the search word and the page: parses q, limit
 * and offset, calls fn and answers. */
typedef kc_err (*kc_qpage_list_fn)(kc_ctx *ctx, const char *q, int64_t limit, int64_t offset,
                                   json_t **items, int64_t *total);
void kc_req_qpage_list(kc_req *r, kc_qpage_list_fn fn);

/* Answers {"items", "total_count"} (taking items), or the error e with its message. */
void kc_req_list_answer(kc_req *r, kc_err e, json_t *items, int64_t total);

#endif
