/* strbuf.c: see strbuf.h. */
#include "base/strbuf.h"
#include "base/mem.h"
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char kc_strbuf_empty[1];

void kc_strbuf_init(kc_strbuf *sb, size_t hint)
{
  sb->alloc = sb->len = 0;
  sb->buf = kc_strbuf_empty;
  if (hint)
    kc_strbuf_grow(sb, hint);
}

void kc_strbuf_release(kc_strbuf *sb)
{
  if (sb->alloc)
    free(sb->buf);
  kc_strbuf_init(sb, 0);
}

char *kc_strbuf_detach(kc_strbuf *sb, size_t *len)
{
  if (len)
    *len = sb->len;
  char *p = sb->alloc ? sb->buf : kc_xstrdup("");
  kc_strbuf_init(sb, 0);
  return p;
}

void kc_strbuf_grow(kc_strbuf *sb, size_t extra)
{
  /* The + 1 is the NUL; the check is written so that it cannot overflow. */
  if (extra >= SIZE_MAX / 2 - sb->len)
    abort();
  size_t need = sb->len + extra + 1;
  if (need <= sb->alloc)
    return;
  size_t n = sb->alloc ? sb->alloc : 64;
  while (n < need)
    n *= 2;
  if (sb->alloc) {
    sb->buf = kc_xrealloc(sb->buf, n);
  } else {
    /* First allocation: the shared empty string is never written nor freed. */
    sb->buf = kc_xmalloc(n);
    sb->buf[0] = 0;
  }
  sb->alloc = n;
}

void kc_strbuf_setlen(kc_strbuf *sb, size_t len)
{
  assert(len <= sb->len);
  sb->len = len;
  if (sb->alloc)
    sb->buf[len] = 0;
}

void kc_strbuf_add(kc_strbuf *sb, const void *data, size_t n)
{
  if (!n)
    return;
  kc_strbuf_grow(sb, n);
  memcpy(sb->buf + sb->len, data, n);
  sb->len += n;
  sb->buf[sb->len] = 0;
}

void kc_strbuf_addstr(kc_strbuf *sb, const char *s)
{
  kc_strbuf_add(sb, s, strlen(s));
}

void kc_strbuf_addch(kc_strbuf *sb, char c)
{
  kc_strbuf_add(sb, &c, 1);
}

void kc_strbuf_vaddf(kc_strbuf *sb, const char *fmt, va_list ap)
{
  va_list again;
  va_copy(again, ap);
  /* Try in the room there is; vsnprintf says how much it needed when that was not enough. */
  size_t room = sb->alloc ? sb->alloc - sb->len : 0;
  int n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap);
  if (n < 0)
    abort(); /* an encoding error in the format: a programming error */
  if ((size_t)n >= room) {
    kc_strbuf_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, again);
  }
  va_end(again);
  sb->len += (size_t)n;
}

void kc_strbuf_addf(kc_strbuf *sb, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  kc_strbuf_vaddf(sb, fmt, ap);
  va_end(ap);
}
