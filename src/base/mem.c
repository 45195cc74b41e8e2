/* mem.c: aborting allocators and the request arena (a list of growing blocks). */
#include "base/mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
  fprintf(stderr, "kycuong: out of memory allocating %zu bytes\n", n);
  abort();
}

void *kc_xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    oom(n);
  return p;
}

void *kc_xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    oom(n * size);
  return p;
}

void *kc_xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q)
    oom(n);
  return q;
}

char *kc_xstrdup(const char *s)
{
  size_t n = strlen(s) + 1;
  char *p = kc_xmalloc(n);
  memcpy(p, s, n);
  return p;
}

struct kc_arena_block {
  kc_arena_block *next;
  size_t cap, used;
  _Alignas(max_align_t) unsigned char data[];
};

enum { ARENA_MIN_BLOCK = 8192 - sizeof(kc_arena_block) };

void kc_arena_init(kc_arena *a)
{
  a->head = NULL;
  a->used_total = 0;
}

void kc_arena_free(kc_arena *a)
{
  if (!a)
    return;
  kc_arena_block *b = a->head;
  while (b) {
    kc_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->used_total = 0;
}

void *kc_arena_alloc(kc_arena *a, size_t n)
{
  const size_t align = _Alignof(max_align_t);
  n = (n + align - 1) & ~(align - 1);
  if (n == 0)
    n = align;
  kc_arena_block *b = a->head;
  if (!b || b->cap - b->used < n) {
    /* Blocks double with use so a big request costs few mallocs. */
    size_t cap = b ? b->cap * 2 : (size_t)ARENA_MIN_BLOCK;
    if (cap < n)
      cap = n;
    b = kc_xmalloc(sizeof(*b) + cap);
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  a->used_total += n;
  return p;
}

void *kc_arena_zalloc(kc_arena *a, size_t n)
{
  void *p = kc_arena_alloc(a, n);
  memset(p, 0, n);
  return p;
}

char *kc_arena_strndup(kc_arena *a, const char *s, size_t n)
{
  if (!s)
    return NULL;
  char *p = kc_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *kc_arena_strdup(kc_arena *a, const char *s)
{
  return s ? kc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *kc_arena_vprintf(kc_arena *a, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return kc_arena_strdup(a, "");
  char *p = kc_arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *kc_arena_printf(kc_arena *a, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *p = kc_arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}
