/* jsonw.c: the streaming JSON writer (jsonw.h). Strings are copied in runs of ASCII bytes
 * that need no escape (eight at a time while possible); each non-ASCII sequence is checked
 * by kc_utf8_decode as it is copied, so a string is read once. */
#include "base/jsonw.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_RESERVE = 1024 };

/* What a byte needs in a string (byte_class): nothing (plain ASCII), a short escape such as
 * \n, \u00XX, or a UTF-8 check (the lead or continuation of a non-ASCII sequence). */
enum { SHORT_ESC = 1, U_ESC = 2, NON_ASCII = 4, ESCAPE = SHORT_ESC | U_ESC };
/* clang-format off */
#define NON_ASCII_ROW 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4
static const unsigned char byte_class[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, /* \b \t \n, \f \r */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* other controls */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* DEL is not escaped, as in jansson */
    NON_ASCII_ROW, NON_ASCII_ROW, NON_ASCII_ROW, NON_ASCII_ROW,
    NON_ASCII_ROW, NON_ASCII_ROW, NON_ASCII_ROW, NON_ASCII_ROW,
};
/* clang-format on */

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

static char *room_slow(kc_jsonw *w, size_t n);

/* Room for n more bytes (plus the final NUL), or NULL once the cap is passed. */
static inline char *room(kc_jsonw *w, size_t n)
{
  if (w->buf && !w->too_big && n < w->cap - w->len && n <= w->max - w->len)
    return w->buf + w->len;
  return room_slow(w, n);
}

static char *room_slow(kc_jsonw *w, size_t n)
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

/* Whether the value about to be written needs a comma before it: it does unless it is the
 * first of its array, a member's value, or at the top level. */
static bool value_comma(kc_jsonw *w)
{
  if (w->after_key) {
    w->after_key = false;
    return false;
  }
  if (w->depth == 0)
    return false;
  assert(!(w->object >> w->depth & 1) && "a value inside an object needs a key first");
  uint64_t bit = UINT64_C(1) << w->depth;
  bool comma = w->comma & bit;
  w->comma |= bit;
  return comma;
}

/* A comma if asked, then n bytes. */
static void put(kc_jsonw *w, bool comma, const char *s, size_t n)
{
  char *p = room(w, n + comma);
  if (p) {
    *p = ',';
    memcpy(p + comma, s, n);
    w->len += n + comma;
  }
}

static void open_level(kc_jsonw *w, char c, bool object)
{
  put(w, value_comma(w), &c, 1);
  assert(w->depth < KC_JSONW_MAX_DEPTH && "nested too deep");
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
  put(w, false, &c, 1);
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
  if (byte_class[c] == SHORT_ESC) {
    *p++ = esc_short(c);
  } else {
    memcpy(p, "u00", 3);
    p[3] = hex[c >> 4];
    p[4] = hex[c & 15];
    p += 5;
  }
  return p;
}

/* Whether any of the 8 bytes in x may need a look: below 0x20, '"' or '\\', or (with
 * non_ascii) at or above 0x80. Each test is the classic SWAR "has a byte less than n": a
 * borrow only ever propagates from a byte that is itself flagged, so "any" is exact. */
static bool word_needs_look(uint64_t x, bool non_ascii)
{
  const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
  uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
  uint64_t flags = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b);
  if (non_ascii)
    flags |= x;
  return (flags & highs) != 0;
}

/* Copies the run of bytes from *u on whose class has none of the bits in `stop`, eight at a
 * time while it can (the room reserved by put_string covers whole words). */
static char *copy_run(char *p, const unsigned char **u, const unsigned char *end, unsigned stop)
{
  const unsigned char *q = *u;
  while (end - q >= 8) {
    uint64_t x;
    memcpy(&x, q, 8);
    if (word_needs_look(x, stop & NON_ASCII))
      break;
    memcpy(p, &x, 8);
    p += 8;
    q += 8;
  }
  while (q < end && !(byte_class[*q] & stop))
    *p++ = (char)*q++;
  *u = q;
  return p;
}

/* An optional comma, the quoted string, an optional colon (after a key). Room for the worst
 * case (6 bytes per input byte: \u00XX, or U+FFFD's 3 for one bad byte) is taken first, so
 * the loops need no bounds checks. */
static void put_string(kc_jsonw *w, bool comma, const char *s, size_t n, bool colon)
{
  if (w->too_big)
    return;
  if (n > (SIZE_MAX - 4) / 6) {
    w->too_big = true;
    return;
  }
  /* The worst case may pass the cap when the real text does not: reserve it without the
   * cap check, and check the real length afterwards. */
  size_t saved_max = w->max;
  w->max = SIZE_MAX;
  char *p = room(w, n * 6 + 4);
  w->max = saved_max;
  if (!p)
    return;
  char *start = p;
  if (comma)
    *p++ = ',';
  *p++ = '"';
  const unsigned char *u = (const unsigned char *)s, *end = u + n;
  while (u < end) {
    p = copy_run(p, &u, end, ESCAPE | NON_ASCII);
    if (u == end)
      break;
    if (byte_class[*u] != NON_ASCII) {
      p = put_escape(p, *u++);
      continue;
    }
    /* one UTF-8 sequence, checked as it is copied */
    size_t used;
    if (kc_utf8_decode((const char *)u, (size_t)(end - u), &used) < 0) {
      memcpy(p, "\xEF\xBF\xBD", 3); /* U+FFFD for the ill-formed subpart */
      p += 3;
    } else {
      memcpy(p, u, used);
      p += used;
    }
    u += used;
  }
  *p++ = '"';
  if (colon)
    *p++ = ':';
  w->len += (size_t)(p - start);
  if (w->len > w->max)
    w->too_big = true;
}

void kc_jsonw_key(kc_jsonw *w, const char *key)
{
  assert((w->object >> w->depth & 1) && "a key outside an object");
  assert(!w->after_key && "two keys in a row");
  uint64_t bit = UINT64_C(1) << w->depth;
  bool comma = w->comma & bit;
  w->comma |= bit;
  put_string(w, comma, key, strlen(key), true);
  w->after_key = true;
}

void kc_jsonw_strn(kc_jsonw *w, const char *s, size_t n)
{
  put_string(w, value_comma(w), s, n, false);
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
  put(w, value_comma(w), p, (size_t)(tmp + sizeof tmp - p));
}

void kc_jsonw_bool(kc_jsonw *w, bool v)
{
  if (v)
    put(w, value_comma(w), "true", 4);
  else
    put(w, value_comma(w), "false", 5);
}

void kc_jsonw_null(kc_jsonw *w)
{
  put(w, value_comma(w), "null", 4);
}

void kc_jsonw_raw(kc_jsonw *w, const char *json, size_t n)
{
  assert(n > 0 && "a raw value cannot be empty");
  put(w, value_comma(w), json, n);
}

#ifndef NDEBUG
/* Whether a literal key can be copied without escapes (for the assertion). */
static bool key_is_plain(const char *key, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (byte_class[(unsigned char)key[i]] & ESCAPE)
      return false;
  return strlen(key) == n && kc_utf8_valid(key, n);
}
#endif

void kc_jsonw__key_lit(kc_jsonw *w, const char *key, size_t n)
{
  assert((w->object >> w->depth & 1) && "a key outside an object");
  assert(!w->after_key && "two keys in a row");
  assert(key_is_plain(key, n) && "a literal key that needs escapes: use kc_jsonw_key");
  uint64_t bit = UINT64_C(1) << w->depth;
  bool comma = w->comma & bit;
  w->comma |= bit;
  w->after_key = true;
  char *p = room(w, n + 3 + comma);
  if (!p)
    return;
  *p = ',';
  p += comma;
  *p++ = '"';
  memcpy(p, key, n);
  p[n] = '"';
  p[n + 1] = ':';
  w->len += n + 3 + comma;
}

void kc_jsonw__member_str(kc_jsonw *w, const char *key, size_t n, const char *s)
{
  kc_jsonw__key_lit(w, key, n);
  kc_jsonw_str(w, s);
}

void kc_jsonw__member_int(kc_jsonw *w, const char *key, size_t n, int64_t v)
{
  kc_jsonw__key_lit(w, key, n);
  kc_jsonw_int(w, v);
}

void kc_jsonw__member_bool(kc_jsonw *w, const char *key, size_t n, bool v)
{
  kc_jsonw__key_lit(w, key, n);
  kc_jsonw_bool(w, v);
}

void kc_jsonw__member_null(kc_jsonw *w, const char *key, size_t n)
{
  kc_jsonw__key_lit(w, key, n);
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

size_t kc_jsonw_len(const kc_jsonw *w)
{
  return w->len;
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
