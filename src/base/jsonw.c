/* jsonw.c: the streaming JSON writer (jsonw.h). Strings take a fast path when they are valid
 * UTF-8 (checked first, at several hundred MB/s): only ASCII bytes can need escaping then,
 * so the loop copies runs of ordinary bytes and looks up one table. */
#include "base/jsonw.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_RESERVE = 1024 };

/* 0: copied as it is; 1: a short escape (ESC_SHORT); 2: \u00XX. Bytes >= 0x80 are 0: the
 * fast path only runs on valid UTF-8. */
static const unsigned char esc_kind[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, /* \b \t \n, \f \r */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, ['"'] = 1, ['\\'] = 1,
};

static char esc_short(unsigned char c)
{
  switch (c) {
  case '\b': return 'b';
  case '\t': return 't';
  case '\n': return 'n';
  case '\f': return 'f';
  case '\r': return 'r';
  default: return (char)c; /* '"' and '\\' */
  }
}

void kc_jsonw_init(kc_jsonw *w, size_t reserve, size_t max)
{
  memset(w, 0, sizeof *w);
  w->cap = reserve ? reserve : DEFAULT_RESERVE; /* the first allocation's size */
  w->max = max;
}

void kc_jsonw_free(kc_jsonw *w)
{
  if (!w)
    return;
  size_t max = w->max;
  free(w->buf);
  kc_jsonw_init(w, 0, max);
}

/* Room for n more bytes (plus the final NUL), or NULL once the cap is passed. */
static char *room(kc_jsonw *w, size_t n)
{
  if (w->too_big)
    return NULL;
  if (n > w->max - w->len) {
    w->too_big = true;
    return NULL;
  }
  size_t need = w->len + n + 1;
  if (!w->buf || need > w->cap) {
    size_t cap = w->cap;
    while (cap < need)
      cap *= 2;
    w->buf = kc_xrealloc(w->buf, cap);
    w->cap = cap;
  }
  return w->buf + w->len;
}

/* Before a value: the comma that separates it from the previous one at its level. */
static void sep(kc_jsonw *w)
{
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  assert(!(w->object >> w->depth & 1) && "a value inside an object needs a key first");
  uint64_t bit = UINT64_C(1) << w->depth;
  if (w->comma & bit) {
    char *p = room(w, 1);
    if (p) {
      *p = ',';
      w->len++;
    }
  } else {
    w->comma |= bit;
  }
}

static void put(kc_jsonw *w, const char *s, size_t n)
{
  char *p = room(w, n);
  if (p) {
    memcpy(p, s, n);
    w->len += n;
  }
}

static void open_level(kc_jsonw *w, char c, bool object)
{
  sep(w);
  assert(w->depth < KC_JSONW_MAX_DEPTH && "nested too deep");
  put(w, &c, 1);
  w->depth++;
  uint64_t bit = UINT64_C(1) << w->depth;
  w->comma &= ~bit;
  w->object = object ? w->object | bit : w->object & ~bit;
}

static void close_level(kc_jsonw *w, char c, bool object)
{
  assert(w->depth > 0 && "nothing to close");
  assert(!w->after_key && "a key without its value");
  assert(!(w->object >> w->depth & 1) == !object && "closing the wrong kind of value");
  (void)object;
  w->depth--;
  put(w, &c, 1);
}

void kc_jsonw_object_begin(kc_jsonw *w)
{
  open_level(w, '{', true);
}

void kc_jsonw_object_end(kc_jsonw *w)
{
  close_level(w, '}', true);
}

void kc_jsonw_array_begin(kc_jsonw *w)
{
  open_level(w, '[', false);
}

void kc_jsonw_array_end(kc_jsonw *w)
{
  close_level(w, ']', false);
}

static const char hex[] = "0123456789ABCDEF";

/* Writes the escape of ASCII byte c at p; returns the byte after it. */
static char *put_escape(char *p, unsigned char c)
{
  *p++ = '\\';
  if (esc_kind[c] == 1) {
    *p++ = esc_short(c);
  } else {
    memcpy(p, "u00", 3);
    p[3] = hex[c >> 4];
    p[4] = hex[c & 15];
    p += 5;
  }
  return p;
}

/* The quoted string; room for the worst case (6 bytes per input byte: \u00XX, or U+FFFD's 3
 * for one bad byte) is taken first so the loops need no bounds checks. */
static void put_string(kc_jsonw *w, const char *s, size_t n)
{
  if (n > (SIZE_MAX - 2) / 6) {
    w->too_big = true;
    return;
  }
  /* The worst case may pass the cap when the real text would not: reserve it without
   * the cap check, and check the real length afterwards. */
  if (w->too_big)
    return;
  size_t saved_max = w->max;
  w->max = SIZE_MAX;
  char *p = room(w, n * 6 + 2);
  w->max = saved_max;
  if (!p)
    return;
  char *start = p;
  *p++ = '"';
  const unsigned char *u = (const unsigned char *)s, *end = u + n;
  if (kc_utf8_valid(s, n)) {
    while (u < end) {
      const unsigned char *run = u;
      while (u < end && !esc_kind[*u])
        u++;
      memcpy(p, run, (size_t)(u - run));
      p += u - run;
      if (u < end)
        p = put_escape(p, *u++);
    }
  } else {
    while (u < end) {
      size_t used;
      int32_t cp = kc_utf8_decode((const char *)u, (size_t)(end - u), &used);
      if (cp < 0) {
        memcpy(p, "\xEF\xBF\xBD", 3); /* U+FFFD */
        p += 3;
      } else if (cp < 0x80 && esc_kind[cp]) {
        p = put_escape(p, (unsigned char)cp);
      } else {
        memcpy(p, u, used);
        p += used;
      }
      u += used;
    }
  }
  *p++ = '"';
  w->len += (size_t)(p - start);
  if (w->len > w->max)
    w->too_big = true;
}

void kc_jsonw_key(kc_jsonw *w, const char *key)
{
  assert((w->object >> w->depth & 1) && "a key outside an object");
  assert(!w->after_key && "two keys in a row");
  uint64_t bit = UINT64_C(1) << w->depth;
  if (w->comma & bit)
    put(w, ",", 1);
  else
    w->comma |= bit;
  put_string(w, key, strlen(key));
  put(w, ":", 1);
  w->after_key = true;
}

void kc_jsonw_strn(kc_jsonw *w, const char *s, size_t n)
{
  sep(w);
  put_string(w, s, n);
}

void kc_jsonw_str(kc_jsonw *w, const char *s)
{
  if (s)
    kc_jsonw_strn(w, s, strlen(s));
  else
    kc_jsonw_null(w);
}

void kc_jsonw_int(kc_jsonw *w, int64_t v)
{
  char tmp[24], *p = tmp + sizeof tmp;
  /* negate in unsigned arithmetic so INT64_MIN works */
  uint64_t x = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    *--p = (char)('0' + x % 10);
    x /= 10;
  } while (x);
  if (v < 0)
    *--p = '-';
  sep(w);
  put(w, p, (size_t)(tmp + sizeof tmp - p));
}

void kc_jsonw_bool(kc_jsonw *w, bool v)
{
  sep(w);
  if (v)
    put(w, "true", 4);
  else
    put(w, "false", 5);
}

void kc_jsonw_null(kc_jsonw *w)
{
  sep(w);
  put(w, "null", 4);
}

void kc_jsonw_member_str(kc_jsonw *w, const char *key, const char *s)
{
  kc_jsonw_key(w, key);
  kc_jsonw_str(w, s);
}

void kc_jsonw_member_int(kc_jsonw *w, const char *key, int64_t v)
{
  kc_jsonw_key(w, key);
  kc_jsonw_int(w, v);
}

void kc_jsonw_member_bool(kc_jsonw *w, const char *key, bool v)
{
  kc_jsonw_key(w, key);
  kc_jsonw_bool(w, v);
}

void kc_jsonw_member_null(kc_jsonw *w, const char *key)
{
  kc_jsonw_key(w, key);
  kc_jsonw_null(w);
}

const char *kc_jsonw_data(const kc_jsonw *w, size_t *len)
{
  if (w->too_big) {
    *len = 0;
    return NULL;
  }
  *len = w->len;
  return w->buf ? w->buf : "";
}

kc_err kc_jsonw_take(kc_jsonw *w, char **out, size_t *len)
{
  assert(w->depth == 0 && !w->after_key && "unclosed object or array");
  *out = NULL;
  *len = 0;
  if (w->too_big) {
    kc_jsonw_free(w);
    return KC_ETOOLARGE;
  }
  char *p = room(w, 0); /* allocates an empty buffer when nothing was written */
  *p = 0;
  *out = w->buf;
  *len = w->len;
  w->buf = NULL;
  kc_jsonw_free(w);
  return KC_OK;
}
