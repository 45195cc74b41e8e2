/* mem.h: allocation that aborts on out-of-memory (xmalloc style) and a bump arena used
 * for everything one request allocates; the arena is freed in one go when the request ends. */
#ifndef KC_BASE_MEM_H
#define KC_BASE_MEM_H
#include "base/err.h"
#include <stdarg.h>
#include <stddef.h>

/* Like malloc/calloc/realloc/strdup but never return NULL: out of memory aborts. */
void *kc_xmalloc(size_t n);
void *kc_xcalloc(size_t n, size_t size);
void *kc_xrealloc(void *p, size_t n);
char *kc_xstrdup(const char *s);

typedef struct kc_arena_block kc_arena_block;
typedef struct kc_arena {
  kc_arena_block *head;
  size_t used_total; /* bytes handed out, for limits and metrics */
} kc_arena;

/* Initialises an empty arena; nothing is allocated until the first kc_arena_alloc. */
void kc_arena_init(kc_arena *a);
/* Frees every block; the arena may be reused after kc_arena_init. NULL-safe. */
void kc_arena_free(kc_arena *a);
/* n bytes aligned for any type, owned by the arena. Aborts on out of memory. */
void *kc_arena_alloc(kc_arena *a, size_t n);
/* Zeroed allocation owned by the arena. */
void *kc_arena_zalloc(kc_arena *a, size_t n);
/* Copies of strings, NUL-terminated, owned by the arena. kc_arena_strdup(NULL) is NULL. */
char *kc_arena_strdup(kc_arena *a, const char *s);
char *kc_arena_strndup(kc_arena *a, const char *s, size_t n);
char *kc_arena_printf(kc_arena *a, const char *fmt, ...) KC_PRINTF(2, 3);
char *kc_arena_vprintf(kc_arena *a, const char *fmt, va_list ap) KC_PRINTF(2, 0);

#endif
