/* Layout clean-up: the text a directive comes in (copied from a PDF, a web page, markdown)
 * carries page numbers, bullets, emphasis markers and lines broken inside sentences. This file
 * turns it into one paragraph a line so the outline and the sentences can be read. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "base/vntext.h"
#include "extract/internal.h"

typedef struct line {
  const char *s;
  size_t len;
} line;

/* Growable output buffer. */
/* Code points that are layout, not text. Returns the replacement ("" to drop). */
static const char *recode(int32_t cp)
{
  switch (cp) {
  case 0x00A0:
  case 0x2002:
  case 0x2003:
  case 0x2009:
  case 0x202F:
  case '\t':
  case '\r': return " ";
  case 0x00AD:
  case 0x200B:
  case 0x200C:
  case 0x200D:
  case 0xFEFF:
  case 0x2713:
  case 0x2714: return "";
  default: return NULL;
  }
}

static bool is_bullet(int32_t cp)
{
  return cp == 0x2022 || cp == 0x25CF || cp == 0x25AA || cp == 0x25E6 || cp == 0xF0B7 ||
         cp == 0x2013 || cp == 0x2014 || cp == 0x00B7 || cp == 0x25A0 || cp == 0x2212 ||
         cp == '*' || cp == '-';
}

/* Copies one raw line into `b` without emphasis markers and with a unified bullet. */
static void copy_line(kc_strbuf *b, const char *s, size_t n)
{
  size_t i = 0;
  while (i < n && s[i] == ' ')
    i++;
  while (i < n && s[i] == '#') /* markdown heading marks */
    i++;
  while (i < n && s[i] == ' ')
    i++;
  size_t used;
  int32_t cp = i < n ? kc_utf8_decode(s + i, n - i, &used) : -1;
  if (cp >= 0 && is_bullet(cp) && i + used < n && s[i + used] == ' ') {
    kc_strbuf_add(b, "- ", 2);
    i += used + 1;
  }
  for (; i < n; i += used) {
    cp = kc_utf8_decode(s + i, n - i, &used);
    const char *r = recode(cp);
    if (cp == '*') /* emphasis ("**bold**", "*italic*"): never meaningful in a directive */
      continue;
    if (r)
      kc_strbuf_add(b, r, strlen(r));
    else
      kc_strbuf_add(b, s + i, used);
  }
}

/* Squeezes runs of spaces and trims, in place. */
static size_t squeeze(char *s, size_t n)
{
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == ' ' && (o == 0 || s[o - 1] == ' '))
      continue;
    s[o++] = s[i];
  }
  while (o > 0 && s[o - 1] == ' ')
    o--;
  return o;
}

/* A line holding only a page number ("3", "- 3 -", "Trang 3", "3/12"). */
static bool page_number(const char *s, size_t n)
{
  char f[64];
  if (n >= sizeof f)
    return false;
  kc_vn_fold(s, n, f, sizeof f);
  const char *p = f;
  if (!strncmp(p, "trang ", 6))
    p += 6;
  if (!*p)
    return false;
  int spaces = 0; /* "3" or "3/12" (page of pages); "30/4/2017" is a date */
  for (; *p; p++) {
    if (!isdigit((unsigned char)*p) && *p != ' ')
      return false;
    spaces += *p == ' ';
  }
  return spaces <= 1 && !memchr(s, '.', n);
}

/* An outline marker starts the line: "I.", "1.", "2.1.", "a)", "đ)", "- ", "+ ". */
static bool starts_marker(const char *s, size_t n)
{
  size_t i = 0;
  if (n >= 2 && (s[0] == '-' || s[0] == '+') && s[1] == ' ')
    return true;
  while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '.'))
    i++;
  if (i > 0 && i < n && (s[i - 1] == '.' || s[i] == ')'))
    return true;
  i = 0;
  while (i < n && strchr("IVXL", s[i]))
    i++;
  if (i > 0 && i + 1 < n && s[i] == '.' && s[i + 1] == ' ')
    return true;
  if (n >= 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] == ')')
    return true;
  if (n >= 3 && !memcmp(s, "đ)", 3))
    return true;
  return false;
}

/* First letter of the line is lower case (the line continues a sentence). */
static bool starts_lower(const char *s, size_t n)
{
  size_t used;
  if (!n)
    return false;
  int32_t cp = kc_utf8_decode(s, n, &used);
  char f[8];
  if (cp < 0)
    return false;
  kc_vn_fold(s, used, f, sizeof f);
  if (!f[0] || !isalpha((unsigned char)f[0]))
    return false;
  if (cp < 0x80)
    return islower(cp);
  /* Vietnamese precomposed letters alternate upper/lower in U+1EA0..U+1EF9 and U+00C0..U+01B0;
   * lower case ones are odd in the extended block and >= U+00E0 in Latin-1. */
  if (cp >= 0x1EA0 && cp <= 0x1EF9)
    return cp & 1;
  if (cp >= 0xC0 && cp <= 0xFF)
    return cp >= 0xE0;
  if (cp == 0x111 || cp == 0x103 || cp == 0x129 || cp == 0x169 || cp == 0x1A1 || cp == 0x1B0)
    return true;
  return false;
}

static bool all_upper(const char *s, size_t n)
{
  bool letter = false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80 && islower(c))
      return false;
    letter |= c < 0x80 && isupper(c);
  }
  return letter;
}

/* Function words that cannot end a sentence: a line ending with one goes on. */
static bool ends_open(const char *s, size_t n)
{
  static const char *const open[] = {"cua", "va",   "voi",   "cac", "nhung", "theo", "tai",
                                     "ve",  "cho",  "trong", "tu",  "den",   "la",   "thuoc",
                                     "o",   "hoac", "nhu",   "de",  "vao",   "tren", "bang",
                                     "so",  "cung", "do",    "ngay"};
  size_t i = n;
  while (i > 0 && s[i - 1] != ' ')
    i--;
  char f[32];
  if (n - i >= sizeof f)
    return false;
  kc_vn_fold(s + i, n - i, f, sizeof f);
  for (size_t k = 0; k < sizeof open / sizeof *open; k++)
    if (!strcmp(f, open[k]))
      return true;
  return false;
}

/* Should line `next` continue line `prev` (both cleaned, non-empty)? */
static bool joins(const char *p, size_t pn, const char *n, size_t nn)
{
  if (starts_marker(n, nn))
    return false;
  char last = p[pn - 1];
  if (starts_lower(n, nn) || isdigit((unsigned char)n[0]))
    return true; /* "... trước ngày" + "30/4/2017": a date never starts a paragraph */
  if (strchr(".:;!?", last) || all_upper(p, pn))
    return false;
  return ends_open(p, pn);
}

char *kc_extract__clean(const char *s, size_t len, size_t *out_len)
{
  kc_strbuf lines = KC_STRBUF_INIT, out = KC_STRBUF_INIT;
  size_t nl = 0, capl = 16;
  size_t *off = kc_xmalloc(capl * 2 * sizeof *off);
  /* First pass: clean each raw line into `lines`, remembering offsets. */
  for (size_t i = 0; i <= len;) {
    const char *e = memchr(s + i, '\n', len - i);
    size_t n = e ? (size_t)(e - (s + i)) : len - i;
    size_t at = lines.len;
    copy_line(&lines, s + i, n);
    size_t m = squeeze(lines.buf + at, lines.len - at);
    kc_strbuf_setlen(&lines, at + m);
    if (m && !page_number(lines.buf + at, m)) {
      if (nl == capl) {
        capl *= 2;
        off = kc_xrealloc(off, capl * 2 * sizeof *off);
      }
      off[2 * nl] = at;
      off[2 * nl + 1] = m;
      nl++;
    } else {
      kc_strbuf_setlen(&lines, at);
    }
    i += n + 1;
  }
  /* Second pass: join continuation lines, undo end-of-line hyphenation. */
  for (size_t k = 0; k < nl; k++) {
    const char *p = lines.buf + off[2 * k];
    size_t n = off[2 * k + 1];
    if (k > 0) {
      const char *q = lines.buf + off[2 * k - 2];
      size_t qn = off[2 * k - 1];
      if (joins(q, qn, p, n)) {
        bool hyph = qn >= 2 && q[qn - 1] == '-' && q[qn - 2] != ' ' && starts_lower(p, n);
        if (hyph)
          kc_strbuf_setlen(&out, out.len - 1); /* "hành chí-" + "nh" */
        else
          kc_strbuf_add(&out, " ", 1);
      } else {
        kc_strbuf_add(&out, "\n", 1);
      }
    }
    kc_strbuf_add(&out, p, n);
  }
  free(off);
  kc_strbuf_release(&lines);
  return kc_strbuf_detach(&out, out_len);
}
