/* strbuf.h: a growable byte buffer, modelled on git's strbuf. The bytes are always
 * NUL-terminated (buf[len] == 0), so a kc_strbuf can be handed to anything that wants a C
 * string; it may also hold NUL bytes inside when used for binary data (len is the truth).
 *
 * Ownership: the buffer owns buf. kc_strbuf_release frees it; kc_strbuf_detach hands it to the
 * caller (who frees it with free()) and leaves the buffer empty and reusable. A buffer
 * initialised with KC_STRBUF_INIT (or zeroed with kc_strbuf_init) points at a shared empty
 * string until the first byte is added, so an unused buffer costs no allocation and
 * releasing it is a no-op. Out of memory aborts (like kc_xmalloc): no function here fails. */
#ifndef KC_BASE_STRBUF_H
#define KC_BASE_STRBUF_H
#include "base/err.h"
#include <stdarg.h>
#include <stddef.h>

typedef struct kc_strbuf {
  size_t alloc; /* bytes allocated for buf; 0 while buf is the shared empty string */
  size_t len;   /* bytes in use, not counting the terminating NUL */
  char *buf;    /* never NULL */
} kc_strbuf;

/* Never written: the empty string that an unused buffer points at. */
extern char kc_strbuf_empty[1];
#define KC_STRBUF_INIT                                                                             \
  {                                                                                                \
    0, 0, kc_strbuf_empty                                                                          \
  }

/* Initialises an empty buffer, reserving room for `hint` bytes (0: allocate nothing yet). */
void kc_strbuf_init(kc_strbuf *sb, size_t hint);
/* Frees the bytes; the buffer is empty and may be reused. */
void kc_strbuf_release(kc_strbuf *sb);
/* Returns the bytes (malloc'd, NUL-terminated, never NULL) and their length in *len (if not
 * NULL); the caller owns them. The buffer is left empty and reusable. */
char *kc_strbuf_detach(kc_strbuf *sb, size_t *len);
/* Makes room for `extra` more bytes without changing the contents. */
void kc_strbuf_grow(kc_strbuf *sb, size_t extra);
/* Truncates to `len` bytes, which must not exceed the current length. */
void kc_strbuf_setlen(kc_strbuf *sb, size_t len);
static inline void kc_strbuf_reset(kc_strbuf *sb)
{
  kc_strbuf_setlen(sb, 0);
}

/* Appends n bytes of data (which may hold NULs). */
void kc_strbuf_add(kc_strbuf *sb, const void *data, size_t n);
/* Appends a C string, one byte, or printf-formatted text. */
void kc_strbuf_addstr(kc_strbuf *sb, const char *s);
void kc_strbuf_addch(kc_strbuf *sb, char c);
void kc_strbuf_addf(kc_strbuf *sb, const char *fmt, ...) KC_PRINTF(2, 3);
void kc_strbuf_vaddf(kc_strbuf *sb, const char *fmt, va_list ap) KC_PRINTF(2, 0);

#endif
