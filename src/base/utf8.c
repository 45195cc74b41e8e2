/* utf8: strict UTF-8 validation, decoding and encoding (Unicode table 3-7).
 * Design notes: docs/internals/vntext.md. */
#include "base/utf8.h"

#include <string.h>

int32_t kc_utf8_decode(const char *s, size_t len, size_t *used)
{
  const unsigned char *p = (const unsigned char *)s;
  unsigned char b0 = p[0];
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  size_t need;
  int32_t cp;

  if (b0 < 0x80) {
    *used = 1;
    return b0;
  }
  /* Table 3-7: the lead byte fixes the length and narrows the second byte's range, which is
   * what excludes overlongs (E0, F0), surrogates (ED) and values above U+10FFFF (F4). */
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0)
      lo = 0xA0;
    else if (b0 == 0xED)
      hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0)
      lo = 0x90;
    else if (b0 == 0xF4)
      hi = 0x8F;
  } else {
    *used = 1; /* C0, C1, F5..FF, or a stray continuation byte */
    return -1;
  }
  for (size_t i = 1; i <= need; i++) {
    unsigned char b;
    if (i >= len) {
      *used = i; /* truncated: the subpart read so far is one ill-formed unit */
      return -1;
    }
    b = p[i];
    if (b < lo || b > hi) {
      *used = i;
      return -1;
    }
    lo = 0x80;
    hi = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
  }
  *used = need + 1;
  return cp;
}

/* Scans `s` and stops at the first malformed sequence or, when `clean` is set, at the first
 * control character that is not TAB, LF or CR. Returns the offset where it stopped. */
static size_t scan(const char *s, size_t len, bool clean)
{
  size_t i = 0;

  while (i < len) {
    /* Most text is ASCII: check eight bytes at a time. memcpy keeps it free of alignment
     * and aliasing problems; compilers turn it into one load. */
    if (!clean) {
      while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
          break;
        i += 8;
      }
      if (i >= len)
        break;
    }
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
      if (clean && ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F))
        return i;
      i++;
      continue;
    }
    size_t used;
    int32_t cp = kc_utf8_decode(s + i, len - i, &used);
    if (cp < 0 || (clean && cp <= 0x9F))
      return i;
    i += used;
  }
  return len;
}

size_t kc_utf8_valid_prefix(const char *s, size_t len)
{
  return scan(s, len, false);
}

bool kc_utf8_valid(const char *s, size_t len)
{
  return scan(s, len, false) == len;
}

size_t kc_utf8_clean_prefix(const char *s, size_t len)
{
  return scan(s, len, true);
}

bool kc_utf8_is_clean_text(const char *s, size_t len)
{
  return scan(s, len, true) == len;
}

size_t kc_utf8_encode(uint32_t cp, char out[4])
{
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF)
    return 0;
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp > KC_UTF8_MAX_CP)
    return 0;
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}
