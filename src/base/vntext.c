/* vntext: Vietnamese NFC normalisation, search folding and collation keys on top of utf8proc.
 * Design notes (levels, weights, why not ICU): docs/internals/vntext.md. */
#include "base/vntext.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <utf8proc.h>

#include "base/utf8.h"

/* ---- Reading text as base letters with their marks --------------------------------------
 *
 * fold and the sort keys see the input the same way: as a stream of "units", one per base
 * character after canonical+compatibility decomposition and case folding, each carrying the
 * combining marks that followed it. Doing the decomposition ourselves, one code point at a
 * time, makes NFC, NFD and half-composed input ("ê" + U+0301) alike without allocating. */

enum unit_kind {
  UNIT_SEP,    /* space, punctuation, symbol, control, malformed byte: a word break */
  UNIT_DIGIT,  /* ASCII '0'..'9' (fullwidth digits arrive here via compatibility mapping) */
  UNIT_LETTER, /* ASCII 'a'..'z' or đ */
  UNIT_OTHER,  /* any other letter or number (other scripts) */
};

/* Marks that make a Vietnamese letter rather than decorate it. */
enum { MOD_BREVE = 1, MOD_CIRC = 2, MOD_HORN = 4 };

/* The five tones, in the order of the secondary level; 0 is "no tone" (thanh ngang). */
enum { TONE_NONE, TONE_HUYEN, TONE_SAC, TONE_HOI, TONE_NGA, TONE_NANG };

#define CP_D_STROKE 0x111 /* đ: every Đ look-alike is mapped to it */

typedef struct unit {
  uint32_t cp;   /* case-folded base character; CP_D_STROKE for the đ family */
  size_t off;    /* byte offset of the input code point the unit came from */
  uint8_t kind;  /* enum unit_kind */
  uint8_t upper; /* the input character was upper or title case */
  uint8_t mods;  /* MOD_* seen on this base */
  uint8_t tone;  /* first tone mark seen, TONE_* */
  uint8_t extra; /* other marks seen (a second tone counts here) */
} unit;

/* Longest decomposition we accept for one code point; utf8proc's longest (U+FDFA) is 18. */
#define DECOMP_MAX 32

typedef struct reader {
  const char *s;
  size_t len;
  size_t pos;
  size_t head, count; /* queued units: q[head .. head+count) */
  unit q[DECOMP_MAX];
} reader;

static void reader_init(reader *r, const char *s, size_t len)
{
  memset(r, 0, sizeof(*r));
  r->s = s;
  r->len = len;
}

static bool is_mark_category(utf8proc_category_t c)
{
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

static void add_mark(unit *u, int32_t m)
{
  uint8_t tone = TONE_NONE;

  switch (m) {
  case 0x0306: u->mods |= MOD_BREVE; return;
  case 0x0302: u->mods |= MOD_CIRC; return;
  case 0x031B: u->mods |= MOD_HORN; return;
  case 0x0300: tone = TONE_HUYEN; break;
  case 0x0301: tone = TONE_SAC; break;
  case 0x0309: tone = TONE_HOI; break;
  case 0x0303: tone = TONE_NGA; break;
  case 0x0323: tone = TONE_NANG; break;
  default: break;
  }
  if (tone != TONE_NONE && u->tone == TONE_NONE)
    u->tone = tone;
  else if (u->extra < UINT8_MAX)
    u->extra++;
}

static unit *push(reader *r, uint8_t kind, uint32_t cp, size_t off, bool upper)
{
  assert(r->head + r->count < DECOMP_MAX);
  unit *u = &r->q[r->head + r->count++];
  u->cp = cp;
  u->off = off;
  u->kind = kind;
  u->upper = upper;
  u->mods = 0;
  u->tone = TONE_NONE;
  u->extra = 0;
  return u;
}

/* Attaches the marks of `cp` (a combining mark, possibly one that decomposes into two, such
 * as U+0344) to the last queued unit. A mark with nothing to sit on is dropped. */
static void attach_marks(reader *r, int32_t cp)
{
  int32_t buf[DECOMP_MAX];
  utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, DECOMP_MAX, UTF8PROC_DECOMPOSE, NULL);

  if (r->count == 0 || n < 0 || n > DECOMP_MAX)
    return;
  unit *last = &r->q[r->head + r->count - 1];
  if (last->kind == UNIT_SEP)
    return;
  for (utf8proc_ssize_t i = 0; i < n; i++)
    add_mark(last, buf[i]);
}

/* Queues the units of one non-ASCII code point. */
static void push_decomposed(reader *r, int32_t cp, size_t off)
{
  int32_t buf[DECOMP_MAX];
  utf8proc_category_t cat = utf8proc_category(cp);
  bool upper = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
  /* Compatibility decomposition unfolds fullwidth forms and ligatures; IGNORE drops soft
   * hyphens and zero-width joiners, which Word and web pages leave inside words. */
  utf8proc_ssize_t n = utf8proc_decompose_char(
      cp, buf, DECOMP_MAX,
      UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, NULL);

  if (n < 0 || n > DECOMP_MAX) {
    push(r, UNIT_SEP, 0, off, false);
    return;
  }
  for (utf8proc_ssize_t i = 0; i < n; i++) {
    int32_t c = buf[i];
    utf8proc_category_t pc = utf8proc_category(c);

    if (c < 0x80) {
      if (c >= 'a' && c <= 'z')
        push(r, UNIT_LETTER, (uint32_t)c, off, upper);
      else if (c >= '0' && c <= '9')
        push(r, UNIT_DIGIT, (uint32_t)c, off, false);
      else
        push(r, UNIT_SEP, 0, off, false);
    } else if (c == 0x111 || c == 0xF0 || c == 0x256) {
      /* đ, and the case-folded forms of Ð (U+00D0, Icelandic eth) and Ɖ (U+0189, African
       * D), which Vietnamese keyboards and OCR produce for Đ. */
      push(r, UNIT_LETTER, CP_D_STROKE, off, upper);
    } else if (is_mark_category(pc)) {
      attach_marks(r, c);
    } else if (pc >= UTF8PROC_CATEGORY_LU && pc <= UTF8PROC_CATEGORY_NO) {
      push(r, UNIT_OTHER, (uint32_t)c, off, upper);
    } else {
      push(r, UNIT_SEP, 0, off, false);
    }
  }
}

/* Reads input until at least one unit is queued, with all the marks that follow it.
 * Returns false at the end of the input. */
static bool fill(reader *r)
{
  r->head = 0;
  r->count = 0;
  while (r->count == 0 && r->pos < r->len) {
    size_t off = r->pos, used;
    int32_t cp = kc_utf8_decode(r->s + off, r->len - off, &used);

    r->pos += used;
    if (cp < 0) {
      push(r, UNIT_SEP, 0, off, false);
    } else if (cp < 0x80) {
      if (cp >= 'a' && cp <= 'z')
        push(r, UNIT_LETTER, (uint32_t)cp, off, false);
      else if (cp >= 'A' && cp <= 'Z')
        push(r, UNIT_LETTER, (uint32_t)(cp | 0x20), off, true);
      else if (cp >= '0' && cp <= '9')
        push(r, UNIT_DIGIT, (uint32_t)cp, off, false);
      else
        push(r, UNIT_SEP, 0, off, false);
    } else {
      push_decomposed(r, cp, off);
    }
    /* NFD input: combining marks follow their base as separate code points. */
    while (r->pos < r->len && (unsigned char)r->s[r->pos] >= 0x80) {
      int32_t m = kc_utf8_decode(r->s + r->pos, r->len - r->pos, &used);
      if (m < 0 || !is_mark_category(utf8proc_category(m)))
        break;
      attach_marks(r, m);
      r->pos += used;
    }
  }
  return r->count > 0;
}

static const unit *peek(reader *r)
{
  if (r->count == 0 && !fill(r))
    return NULL;
  return &r->q[r->head];
}

static void skip(reader *r)
{
  assert(r->count > 0);
  r->head++;
  r->count--;
}

/* ---- Storage form ------------------------------------------------------------------------ */

char *kc_vn_nfc(const char *s, size_t len, size_t *out_len)
{
  utf8proc_uint8_t *dst = NULL;
  utf8proc_ssize_t n;
  size_t i;

  if (!kc_utf8_valid(s, len))
    return NULL;
  for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
    ;
  if (i == len) { /* ASCII is already NFC */
    char *copy = malloc(len + 1);
    if (copy == NULL)
      abort();
    if (len > 0)
      memcpy(copy, s, len);
    copy[len] = '\0';
    if (out_len != NULL)
      *out_len = len;
    return copy;
  }
  if (len > (size_t)(SSIZE_MAX / 8))
    return NULL; /* utf8proc counts in ssize_t and may grow the text */
  /* STABLE keeps NFC stable under future Unicode versions for assigned characters. */
  n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
                   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (n == UTF8PROC_ERROR_NOMEM)
    abort();
  if (n < 0)
    return NULL;
  if (out_len != NULL)
    *out_len = (size_t)n;
  return (char *)dst;
}

/* ---- Output buffers with snprintf semantics ---------------------------------------------- */

typedef struct sink {
  char *out;
  size_t cap;
  size_t need;    /* bytes the full result takes */
  size_t written; /* bytes stored in out (a prefix of the result) */
} sink;

static void sink_init(sink *k, char *out, size_t cap)
{
  k->out = out;
  k->cap = cap;
  k->need = 0;
  k->written = 0;
}

/* Appends `n` bytes that must stay together (one UTF-8 character): once one piece does not
 * fit, nothing more is stored, so a truncated result never ends inside a character. */
static void sink_put(sink *k, const char *p, size_t n)
{
  if (k->written == k->need && k->cap > 0 && n < k->cap - k->written) {
    memcpy(k->out + k->written, p, n);
    k->written += n;
  }
  k->need += n;
}

static void sink_byte(sink *k, char c)
{
  sink_put(k, &c, 1);
}

static size_t sink_finish(sink *k)
{
  if (k->cap > 0)
    k->out[k->written] = '\0';
  return k->need;
}

/* ---- Search key -------------------------------------------------------------------------- */

size_t kc_vn_fold(const char *s, size_t len, char *out, size_t cap)
{
  reader r;
  sink k;
  const unit *u;
  bool space = false;

  reader_init(&r, s, len);
  sink_init(&k, out, cap);
  for (;;) {
    char buf[5];
    size_t n = 0;

    /* Fast path: an ASCII letter or digit not followed by a combining mark. */
    if (r.count == 0 && r.pos < len) {
      unsigned char c = (unsigned char)s[r.pos];
      bool next_ascii = r.pos + 1 == len || (unsigned char)s[r.pos + 1] < 0x80;
      bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
      if (alnum && next_ascii) {
        if (space)
          buf[n++] = ' ';
        space = false;
        buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        sink_put(&k, buf, n);
        r.pos++;
        continue;
      }
    }
    u = peek(&r);
    if (u == NULL)
      break;
    if (u->kind == UNIT_SEP) {
      space = k.need > 0; /* no leading space; a trailing one is never written */
      skip(&r);
      continue;
    }
    if (space)
      buf[n++] = ' ';
    space = false;
    if (u->cp == CP_D_STROKE)
      buf[n++] = 'd';
    else
      n += kc_utf8_encode(u->cp, buf + n);
    sink_put(&k, buf, n);
    skip(&r);
  }
  return sink_finish(&k);
}

bool kc_vn_fold_contains(const char *hay_folded, const char *needle_folded)
{
  size_t nlen = strlen(needle_folded);
  const char *p = hay_folded;

  if (nlen == 0)
    return true;
  for (;;) {
    if (strncmp(p, needle_folded, nlen) == 0)
      return true;
    p = strchr(p, ' ');
    if (p == NULL)
      return false;
    p++;
  }
}

size_t kc_vn_fold_words(const char *folded, size_t len, kc_vn_word *words, size_t cap)
{
  size_t count = 0, i = 0;

  while (i < len) {
    size_t start;

    while (i < len && folded[i] == ' ')
      i++;
    if (i == len)
      break;
    start = i;
    while (i < len && folded[i] != ' ')
      i++;
    if (count < cap) {
      words[count].s = folded + start;
      words[count].len = i - start;
    }
    count++;
  }
  return count;
}

/* ---- Sort keys ----------------------------------------------------------------------------
 *
 * key = primary '!' secondary '!' tertiary. Every weight is above '!', so a key that runs out
 * first at some level sorts first, which is the multi-level rule. Byte plan (all printable):
 *   0x21 '!'          end of a level
 *   0x22 '"'          word break (primary)
 *   0x23..0x40        a number of 1..30 significant digits (primary), followed by its digits
 *   0x41..0x61        the 33 letters, a ă â b ... y z (primary)
 *   0x7E '~' + 4      another letter or number: its code point in 4 bytes of 0x30..0x6F
 * Secondary, one group per word: the word's tones and other marks, or 0x22 if it has none.
 * Tertiary, one byte per letter or number: case, or a number's count of leading zeros. */

#define KEY_LEVEL_END '!'
#define KEY_WORD_BREAK '"'
#define KEY_NUM_BASE 0x23
#define KEY_NUM_MAX 30 /* longest digit run compared as a whole number */
#define KEY_LETTER_BASE 0x41
#define KEY_OTHER '~'
#define KEY_SEC_NONE 0x22 /* + TONE_*: 0x22..0x27 */
#define KEY_SEC_EXTRA 0x28
#define KEY_TER_LOWER 0x22
#define KEY_TER_UPPER 0x23

/* Position of an ASCII letter in the Vietnamese alphabet a ă â b c d đ e ê f g h i j k l m n o
 * ô ơ p q r s t u ư v w x y z (f j w z where they fall in the Latin alphabet). */
static const uint8_t letter_rank[26] = {
    0,  3,  4,  5,  7,  9,  10, 11, 12, 13, 14, 15, 16, /* a..m */
    17, 18, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, /* n..z */
};
#define RANK_D_STROKE 6

/* The letters a mark makes: base, mark, and how far the new letter ranks after its base. */
static const struct {
  char base;
  uint8_t mod;
  uint8_t step;
} modified[] = {
    {'a', MOD_BREVE, 1}, /* ă */
    {'a', MOD_CIRC, 2},  /* â */
    {'e', MOD_CIRC, 1},  /* ê */
    {'o', MOD_CIRC, 1},  /* ô */
    {'o', MOD_HORN, 2},  /* ơ */
    {'u', MOD_HORN, 1},  /* ư */
};

/* Rank of a letter unit, taking the marks that make ă â ê ô ơ ư; marks left over (a
 * circumflex on c, say) are counted in `*extra`. */
static int letter_of(const unit *u, unsigned *extra)
{
  unsigned mods = u->mods;
  int rank;

  *extra = u->extra;
  if (u->cp == CP_D_STROKE) {
    rank = RANK_D_STROKE;
  } else {
    assert(u->cp >= 'a' && u->cp <= 'z');
    rank = letter_rank[u->cp - 'a'];
    for (size_t i = 0; i < sizeof(modified) / sizeof(modified[0]); i++) {
      if (modified[i].base == (char)u->cp && (mods & modified[i].mod)) {
        rank += modified[i].step;
        mods &= ~(unsigned)modified[i].mod;
        break;
      }
    }
  }
  for (; mods != 0; mods &= mods - 1)
    (*extra)++;
  return rank;
}

enum level { LEVEL_PRIMARY, LEVEL_SECONDARY, LEVEL_TERTIARY };

static void put_marks(sink *k, unsigned tone, unsigned extra, bool *word_marked)
{
  if (tone != TONE_NONE) {
    sink_byte(k, (char)(KEY_SEC_NONE + tone));
    *word_marked = true;
  }
  for (unsigned i = 0; i < extra; i++) {
    sink_byte(k, KEY_SEC_EXTRA);
    *word_marked = true;
  }
}

/* A run of digits: primary = length byte + significant digits, tertiary = leading zeros.
 * Runs longer than KEY_NUM_MAX significant digits are compared in chunks. */
static void put_number(reader *r, enum level level, sink *k)
{
  char digits[KEY_NUM_MAX];
  size_t n = 0, zeros = 0;
  bool leading = true;
  const unit *u;

  for (;;) {
    u = peek(r);
    if (u == NULL || u->kind != UNIT_DIGIT)
      break;
    char d = (char)u->cp;

    skip(r);
    if (leading && d == '0') {
      zeros++;
      continue;
    }
    leading = false;
    digits[n++] = d;
    if (n == KEY_NUM_MAX) {
      if (level == LEVEL_PRIMARY) {
        sink_byte(k, (char)(KEY_NUM_BASE + n - 1));
        sink_put(k, digits, n);
      } else if (level == LEVEL_TERTIARY) {
        sink_byte(k, (char)(KEY_TER_LOWER + (zeros > 92 ? 92 : zeros)));
      }
      n = 0;
      zeros = 0;
    }
  }
  if (leading) { /* all zeros: the number 0 */
    digits[n++] = '0';
    zeros--;
  }
  if (n == 0)
    return; /* the run ended exactly on a chunk boundary */
  if (level == LEVEL_PRIMARY) {
    sink_byte(k, (char)(KEY_NUM_BASE + n - 1));
    sink_put(k, digits, n);
  } else if (level == LEVEL_TERTIARY) {
    sink_byte(k, (char)(KEY_TER_LOWER + (zeros > 92 ? 92 : zeros)));
  }
}

/* Writes one level of the key of `s`. Every pass reads the text again: that costs three
 * decodes but needs no allocation and no bound on the key's length. */
static void put_level(const char *s, size_t len, enum level level, sink *k)
{
  reader r;
  const unit *u;
  bool started = false, brk = false, word_marked = false;

  reader_init(&r, s, len);
  for (;;) {
    u = peek(&r);
    if (u == NULL)
      break;
    if (u->kind == UNIT_SEP) {
      brk = started; /* leading and trailing breaks do not count */
      skip(&r);
      continue;
    }
    if (brk) {
      if (level == LEVEL_PRIMARY)
        sink_byte(k, KEY_WORD_BREAK);
      else if (level == LEVEL_SECONDARY && !word_marked)
        sink_byte(k, KEY_SEC_NONE);
      word_marked = false;
      brk = false;
    }
    started = true;
    if (u->kind == UNIT_DIGIT) {
      put_number(&r, level, k);
      continue;
    }
    unsigned extra;
    if (u->kind == UNIT_LETTER) {
      int rank = letter_of(u, &extra);
      if (level == LEVEL_PRIMARY)
        sink_byte(k, (char)(KEY_LETTER_BASE + rank));
    } else {
      assert(u->kind == UNIT_OTHER);
      extra = u->extra + (u->mods & MOD_BREVE ? 1 : 0) + (u->mods & MOD_CIRC ? 1 : 0) +
              (u->mods & MOD_HORN ? 1 : 0);
      if (level == LEVEL_PRIMARY) {
        char b[5] = {KEY_OTHER};
        for (int i = 0; i < 4; i++)
          b[1 + i] = (char)(0x30 + ((u->cp >> (18 - 6 * i)) & 0x3F));
        sink_put(k, b, 5);
      }
    }
    if (level == LEVEL_SECONDARY)
      put_marks(k, u->tone, extra, &word_marked);
    else if (level == LEVEL_TERTIARY)
      sink_byte(k, u->upper ? KEY_TER_UPPER : KEY_TER_LOWER);
    skip(&r);
  }
  if (started && level == LEVEL_SECONDARY && !word_marked)
    sink_byte(k, KEY_SEC_NONE);
}

static void put_key(const char *s, size_t len, sink *k)
{
  put_level(s, len, LEVEL_PRIMARY, k);
  sink_byte(k, KEY_LEVEL_END);
  put_level(s, len, LEVEL_SECONDARY, k);
  sink_byte(k, KEY_LEVEL_END);
  put_level(s, len, LEVEL_TERTIARY, k);
}

size_t kc_vn_sortkey(const char *s, size_t len, char *out, size_t cap)
{
  sink k;

  sink_init(&k, out, cap);
  put_key(s, len, &k);
  return sink_finish(&k);
}

size_t kc_vn_sortkey_person(const char *s, size_t len, char *out, size_t cap)
{
  reader r;
  sink k;
  const unit *u;
  size_t given = 0; /* byte offset where the last word starts */
  bool brk = true;

  reader_init(&r, s, len);
  for (;;) {
    u = peek(&r);
    if (u == NULL)
      break;
    if (u->kind == UNIT_SEP) {
      brk = true;
    } else if (brk) {
      given = u->off;
      brk = false;
    }
    skip(&r);
  }
  sink_init(&k, out, cap);
  /* The given name's whole key first, then the rest: the rest decides only between equal
   * given names, and '!' below every weight puts "An" before "Anh". */
  put_key(s + given, len - given, &k);
  sink_byte(&k, KEY_LEVEL_END);
  put_key(s, given, &k);
  return sink_finish(&k);
}
