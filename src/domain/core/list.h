/* list.h: a list endpoint declared as data (docs/internals/domain.md, "Lists"): the heads of
 * its count and page queries, its filter fragments, its order and an optional page tail. A
 * request picks filters and their values; the SQL text of each (list, filters) combination
 * is built once and kept for the process, so the connection's statement cache (keyed by the
 * text's address, store.h) serves it like a literal. Texts never contain input: every value
 * is bound. */
#ifndef KC_DOMAIN_LIST_H
#define KC_DOMAIN_LIST_H
#include "domain/core/ctx.h"
#include "store/store.h"
#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define KC_LIST_MAX_FILTERS 32
#define KC_LIST_MAX_VALS 48
#define KC_LIST_MAX_HEAD 4

struct kc_list_texts;

/* Where a filter's value comes from. A filter naming a member of the list's filter struct is
 * chosen by kc_list_from when that member is set; the others are chosen by the caller. */
typedef enum {
  KC_LF_CHOSEN, /* kc_list_where / kc_list_flag */
  KC_LF_TEXT,   /* a const char * member, not NULL and not empty: bound as it is */
  KC_LF_ID,     /* an int64_t member, not 0: bound */
  KC_LF_FLAG,   /* a bool member, true: the fragment has no ? */
} kc_lf_src;

/* A filter: " AND …" with `?` for its values. */
typedef struct kc_list_filter {
  const char *sql;
  kc_lf_src src;
  size_t off; /* the member's offset in the filter struct */
} kc_list_filter;
#define KC_LF(sql)                                                                                 \
  {                                                                                                \
    (sql), KC_LF_CHOSEN, 0                                                                         \
  }
#define KC_LF_TEXT(T, m, sql)                                                                      \
  {                                                                                                \
    (sql), KC_LF_TEXT, offsetof(T, m)                                                              \
  }
#define KC_LF_ID(T, m, sql)                                                                        \
  {                                                                                                \
    (sql), KC_LF_ID, offsetof(T, m)                                                                \
  }
#define KC_LF_FLAG(T, m, sql)                                                                      \
  {                                                                                                \
    (sql), KC_LF_FLAG, offsetof(T, m)                                                              \
  }

/* A list, declared once per endpoint as a static (not const: it holds its texts):
 *     static kc_list accounts = {
 *         .count_from = " FROM accounts a WHERE 1 = 1",
 *         .page_head = "SELECT " ACC_COLS ACC_FROM " WHERE 1 = 1",
 *         .filters = acc_filters, .nfilters = F_N,
 *         .order = " ORDER BY a.username"};
 * The count is `count_select` (default "SELECT COUNT(*)") `count_from` and the chosen
 * filters; the page is `page_head`, the filters, `order`, " LIMIT ? OFFSET ?" and
 * `page_tail`. The chosen filters are appended in the order of the array, with their values,
 * whatever order they were chosen in. */
typedef struct kc_list {
  const char *count_select; /* NULL: "SELECT COUNT(*)"; more columns are read by count_row */
  const char *count_from;   /* " FROM t x WHERE 1 = 1" */
  const char *page_head;    /* "SELECT cols FROM … WHERE 1 = 1"; may hold head placeholders */
  const kc_list_filter *filters;
  int nfilters;          /* at most KC_LIST_MAX_FILTERS */
  const char *order;     /* " ORDER BY …", before the LIMIT */
  const char *page_tail; /* NULL, or text after the LIMIT (an inner id query's outer part) */
  /* 0: exact totals. Else counts stop at count_cap: `SELECT COUNT(*) FROM (SELECT 1 …
   * LIMIT cap)`, so a count over millions of rows costs at most cap index entries. */
  int64_t count_cap;
  _Atomic(struct kc_list_texts *) texts; /* built texts, owned by the process */
} kc_list;

/* The common declaration: count, page, filters (an array: its size is counted), order. */
#define KC_LIST(from, head, filt, ord)                                                             \
  {                                                                                                \
    .count_from = (from), .page_head = (head), .filters = (filt),                                  \
    .nfilters = (int)(sizeof(filt) / sizeof *(filt)), .order = (ord)                               \
  }

/* One request's choice of filters and their values. */
typedef struct kc_list_query {
  kc_list *list;
  uint32_t mask; /* the chosen filters */
  kc_val head[KC_LIST_MAX_HEAD];
  size_t nhead;
  kc_val vals[KC_LIST_MAX_VALS]; /* each chosen filter's values, in the order chosen */
  size_t nvals;
  uint8_t at[KC_LIST_MAX_FILTERS], n[KC_LIST_MAX_FILTERS]; /* filter i's values in vals */
  int64_t limit, offset;
  /* out: true when the count stopped at the list's count_cap (the total is a lower bound) */
  bool capped;
} kc_list_query;

/* Starts a query over l for a page of `limit` rows from `offset`. Cannot fail. */
void kc_list_query_init(kc_list_query *q, kc_list *l, int64_t limit, int64_t offset);
/* Values of the page head's placeholders (bound before the filters; the page only). */
void kc_list_head_array(kc_list_query *q, const kc_val *v, size_t n);
#define kc_list_head(q, ...)                                                                       \
  kc_list_head_array((q), (const kc_val[]){__VA_ARGS__},                                           \
                     sizeof((const kc_val[]){__VA_ARGS__}) / sizeof(kc_val))
/* Chooses filter i with its values (as many as its `?`; an assert), once. kc_list_flag
 * chooses a filter without values. */
void kc_list_where_array(kc_list_query *q, int i, const kc_val *v, size_t n);
#define kc_list_where(q, i, ...)                                                                   \
  kc_list_where_array((q), (i), (const kc_val[]){__VA_ARGS__},                                     \
                      sizeof((const kc_val[]){__VA_ARGS__}) / sizeof(kc_val))
void kc_list_flag(kc_list_query *q, int i);
/* Chooses every filter that names a member of filter (the list's filter struct) which is
 * set, binding the member's value. */
void kc_list_from(kc_list_query *q, const void *filter);

/* Called for each row of the page, in the statement's order. An error stops the list. */
typedef kc_err (*kc_list_row_fn)(kc_ctx *ctx, kc_stmt *s, void *arg);
/* Called with the count's row (columns after COUNT(*) are the list's own). */
typedef void (*kc_list_count_fn)(kc_stmt *s, void *arg);

/* Runs the page, then the count into *total. A page that is not full ends the matches, so
 * it gives the total without the count query (unless count_row wants the count's row).
 * Returns the store's error as is (the caller translates it with kc_ctx_code). */
kc_err kc_list_run(kc_ctx *ctx, kc_list_query *q, kc_list_row_fn row, kc_list_count_fn count_row,
                   void *arg, int64_t *total) KC_WUR;

/* kc_list_run collecting one json_t per row into a new array *items the caller owns (NULL
 * on error). */
typedef json_t *(*kc_list_json_fn)(kc_ctx *ctx, kc_stmt *s, void *arg);
kc_err kc_list_json(kc_ctx *ctx, kc_list_query *q, kc_list_json_fn fn, void *arg, json_t **items,
                    int64_t *total) KC_WUR;

/* "%raw%" with LIKE's wildcards and `\` escaped (for `LIKE ? ESCAPE '\'`), ASCII letters
 * lowered when lower: a pattern that finds raw anywhere, taken literally. Arena-owned. */
const char *kc_list_like_escaped(kc_arena *ar, const char *raw, bool lower);

/* kc_list_json for row functions that read the statement only. */
typedef json_t *(*kc_list_stmt_fn)(kc_stmt *s);
kc_err kc_list_json_rows(kc_ctx *ctx, kc_list_query *q, kc_list_stmt_fn fn, json_t **items,
                         int64_t *total) KC_WUR;

/* Every row of one literal query (values bound as by kc_stmt_query), one json_t per row from
 * fn, into a new array *items the caller owns (NULL on error): the short lists with neither
 * filters nor pages (a task's progress reports, its extensions, an account's tokens). Returns
 * the store's error as is. */
kc_err kc_rows_json_array(kc_ctx *ctx, const char *sql, const kc_val *v, size_t n,
                          kc_list_stmt_fn fn, json_t **items) KC_WUR;
#define kc_rows_json(ctx, sql, fn, items, ...)                                                     \
  kc_rows_json_array((ctx), (sql), (const kc_val[]){__VA_ARGS__},                                  \
                     sizeof((const kc_val[]){__VA_ARGS__}) / sizeof(kc_val), (fn), (items))

/* The SQL text of the count (page false) or the page for a set of filters: built on first
 * use, then the same address for the life of the process. For tests and for callers that
 * run the statement themselves. */
const char *kc_list_text(kc_list *l, bool page, uint32_t mask);

#endif
