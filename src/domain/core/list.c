/* list.c: declared lists (list.h). The texts of a list live in a small hash table per list,
 * read without a lock (every request reads one or two, on every worker thread) and extended
 * under one process-wide lock, once per combination of filters. */
#include "domain/core/list.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include <assert.h>
#include <jansson.h>
#include <pthread.h>
#include <string.h>

#define N_BUCKETS 64

typedef struct text_node {
  uint64_t key; /* mask << 1 | page */
  const char *text;
  struct text_node *next;
} text_node;

struct kc_list_texts {
  _Atomic(text_node *) bucket[N_BUCKETS];
};

static pthread_mutex_t texts_lock = PTHREAD_MUTEX_INITIALIZER;

#ifndef NDEBUG
/* The number of `?` in a fragment (fragments hold no literals with `?`); for asserts. */
static size_t placeholders(const char *s)
{
  size_t n = 0;
  for (; s && *s; s++)
    n += *s == '?';
  return n;
}
#endif

static const char *build(const kc_list *l, bool page, uint32_t mask)
{
  kc_strbuf b;
  kc_strbuf_init(&b, 2048);
  if (page) {
    kc_strbuf_addstr(&b, l->page_head);
  } else if (l->count_cap) {
    kc_strbuf_addstr(&b, "SELECT COUNT(*) FROM (SELECT 1");
    kc_strbuf_addstr(&b, l->count_from);
  } else {
    kc_strbuf_addstr(&b, l->count_select ? l->count_select : "SELECT COUNT(*)");
    kc_strbuf_addstr(&b, l->count_from);
  }
  for (int i = 0; i < l->nfilters; i++)
    if (mask & (UINT32_C(1) << i))
      kc_strbuf_addstr(&b, l->filters[i].sql);
  if (page) {
    kc_strbuf_addstr(&b, l->order ? l->order : "");
    kc_strbuf_addstr(&b, " LIMIT ? OFFSET ?");
    kc_strbuf_addstr(&b, l->page_tail ? l->page_tail : "");
  } else if (l->count_cap) {
    kc_strbuf_addstr(&b, " LIMIT ?) c");
  }
  return kc_strbuf_detach(&b, NULL);
}

const char *kc_list_text(kc_list *l, bool page, uint32_t mask)
{
  assert(l->nfilters >= 0 && l->nfilters <= KC_LIST_MAX_FILTERS);
  assert(l->nfilters == KC_LIST_MAX_FILTERS || mask >> l->nfilters == 0);
  assert(!(l->count_cap && l->count_select)); /* a capped count has no other columns */
  uint64_t key = (uint64_t)mask << 1 | page;
  struct kc_list_texts *t = atomic_load_explicit(&l->texts, memory_order_acquire);
  _Atomic(text_node *) *slot = NULL;
  if (t) {
    slot = &t->bucket[(key * UINT64_C(0x9E3779B97F4A7C15)) >> 58];
    for (text_node *n = atomic_load_explicit(slot, memory_order_acquire); n; n = n->next)
      if (n->key == key)
        return n->text;
  }
  pthread_mutex_lock(&texts_lock);
  t = atomic_load_explicit(&l->texts, memory_order_relaxed);
  if (!t) {
    t = kc_xmalloc(sizeof *t);
    for (int i = 0; i < N_BUCKETS; i++)
      atomic_init(&t->bucket[i], NULL);
    atomic_store_explicit(&l->texts, t, memory_order_release);
  }
  slot = &t->bucket[(key * UINT64_C(0x9E3779B97F4A7C15)) >> 58];
  text_node *head = atomic_load_explicit(slot, memory_order_relaxed), *n = head;
  while (n && n->key != key)
    n = n->next;
  if (!n) {
    n = kc_xmalloc(sizeof *n);
    n->key = key;
    n->text = build(l, page, mask);
    n->next = head;
    atomic_store_explicit(slot, n, memory_order_release);
  }
  pthread_mutex_unlock(&texts_lock);
  return n->text;
}

void kc_list_query_init(kc_list_query *q, kc_list *l, int64_t limit, int64_t offset)
{
  memset(q, 0, sizeof *q);
  q->list = l;
  q->limit = limit;
  q->offset = offset;
}

void kc_list_head_array(kc_list_query *q, const kc_val *v, size_t n)
{
  assert(q->nhead + n <= KC_LIST_MAX_HEAD);
  memcpy(q->head + q->nhead, v, n * sizeof *v);
  q->nhead += n;
}

void kc_list_where_array(kc_list_query *q, int i, const kc_val *v, size_t n)
{
  assert(i >= 0 && i < q->list->nfilters);
  assert(!(q->mask & (UINT32_C(1) << i)));
  assert(placeholders(q->list->filters[i].sql) == n);
  assert(q->nvals + n <= KC_LIST_MAX_VALS);
  q->mask |= UINT32_C(1) << i;
  q->at[i] = (uint8_t)q->nvals;
  q->n[i] = (uint8_t)n;
  if (n)
    memcpy(q->vals + q->nvals, v, n * sizeof *v);
  q->nvals += n;
}

void kc_list_flag(kc_list_query *q, int i)
{
  kc_list_where_array(q, i, NULL, 0);
}

void kc_list_from(kc_list_query *q, const void *filter)
{
  const char *base = filter;
  for (int i = 0; i < q->list->nfilters; i++) {
    const kc_list_filter *f = &q->list->filters[i];
    const void *m = base + f->off;
    if (f->src == KC_LF_TEXT) {
      const char *v = *(const char *const *)m;
      if (v && *v)
        kc_list_where(q, i, KC_TXT(v));
    } else if (f->src == KC_LF_ID) {
      int64_t v = *(const int64_t *)m;
      if (v)
        kc_list_where(q, i, KC_I64(v));
    } else if (f->src == KC_LF_FLAG && *(const bool *)m) {
      kc_list_flag(q, i);
    }
  }
}

/* Binds head (page only), the filters' values in the text's order, then the trailing
 * values. */
static void bind(kc_stmt *s, const kc_list_query *q, bool page, kc_val a, kc_val b, int ntail)
{
  kc_val v[KC_LIST_MAX_HEAD + KC_LIST_MAX_VALS + 2];
  size_t n = 0;
  if (page) {
    memcpy(v, q->head, q->nhead * sizeof *v);
    n = q->nhead;
  }
  for (int i = 0; i < q->list->nfilters; i++)
    if (q->mask & (UINT32_C(1) << i)) {
      memcpy(v + n, q->vals + q->at[i], q->n[i] * sizeof *v);
      n += q->n[i];
    }
  if (ntail > 0)
    v[n++] = a;
  if (ntail > 1)
    v[n++] = b;
  kc_stmt_bind_array(s, v, n);
}

kc_err kc_list_run(kc_ctx *ctx, kc_list_query *q, kc_list_row_fn row, kc_list_count_fn count_row,
                   void *arg, int64_t *total)
{
  kc_list *l = q->list;
  kc_stmt *s;
  bool more;
  int64_t n = 0;
  *total = 0;
  q->capped = false;
  kc_err e = kc_stmt_prepare(ctx->conn, kc_list_text(l, true, q->mask), &s);
  if (e)
    return e;
  bind(s, q, true, KC_I64(q->limit), KC_I64(q->offset), 2);
  for (;;) {
    e = kc_stmt_step(s, &more);
    if (e || !more)
      break;
    n++;
    e = row ? row(ctx, s, arg) : KC_OK;
    if (e)
      break;
  }
  kc_stmt_reset(s);
  if (e)
    return e;
  /* A page that is not full holds the last matches (unless it is empty past the end). */
  if (!count_row && n < q->limit && (n > 0 || q->offset == 0)) {
    *total = q->offset + n;
    return KC_OK;
  }
  e = kc_stmt_prepare(ctx->conn, kc_list_text(l, false, q->mask), &s);
  if (e)
    return e;
  bind(s, q, false, KC_I64(l->count_cap), KC_NULL, l->count_cap ? 1 : 0);
  e = kc_stmt_step(s, &more);
  if (!e && more) {
    *total = kc_stmt_i64(s, 0);
    if (count_row)
      count_row(s, arg);
  }
  kc_stmt_reset(s);
  q->capped = !e && l->count_cap && *total >= l->count_cap;
  return e;
}

typedef struct stmt_rows {
  kc_list_stmt_fn fn;
} stmt_rows;

static json_t *stmt_row(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  (void)ctx;
  return ((stmt_rows *)arg)->fn(s);
}

kc_err kc_list_json_rows(kc_ctx *ctx, kc_list_query *q, kc_list_stmt_fn fn, json_t **items,
                         int64_t *total)
{
  stmt_rows r = {fn};
  return kc_list_json(ctx, q, stmt_row, &r, items, total);
}

const char *kc_list_like_escaped(kc_arena *ar, const char *raw, bool lower)
{
  char *out = kc_arena_alloc(ar, strlen(raw) * 2 + 3), *w = out;
  *w++ = '%';
  for (const char *c = raw; *c; c++) {
    if (*c == '%' || *c == '_' || *c == '\\')
      *w++ = '\\';
    *w++ = lower && *c >= 'A' && *c <= 'Z' ? (char)(*c + 32) : *c;
  }
  *w++ = '%';
  *w = 0;
  return out;
}

typedef struct json_rows {
  kc_list_json_fn fn;
  void *arg;
  json_t *arr;
} json_rows;

static kc_err json_row(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  json_rows *j = arg;
  json_array_append_new(j->arr, j->fn(ctx, s, j->arg));
  return KC_OK;
}

kc_err kc_list_json(kc_ctx *ctx, kc_list_query *q, kc_list_json_fn fn, void *arg, json_t **items,
                    int64_t *total)
{
  json_rows j = {fn, arg, json_array()};
  kc_err e = kc_list_run(ctx, q, json_row, NULL, &j, total);
  if (e) {
    json_decref(j.arr);
    j.arr = NULL;
  }
  *items = j.arr;
  return e;
}

kc_err kc_rows_json_array(kc_ctx *ctx, const char *sql, const kc_val *v, size_t n,
                          kc_list_stmt_fn fn, json_t **items)
{
  *items = NULL;
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query_array(ctx->conn, sql, &s, v, n);
  if (e)
    return e;
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row))
    json_array_append_new(arr, fn(s));
  kc_stmt_reset(s);
  if (e) {
    json_decref(arr);
    return e;
  }
  *items = arr;
  return KC_OK;
}
