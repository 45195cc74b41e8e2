/* Tokens: the normalised text as folded words, numbers and punctuation, each with its byte
 * span, so phrases are matched without tones or case and still point back into the text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "base/vntext.h"
#include "extract/internal.h"

static uint32_t add_word(kc_doc *d, const char *w, size_t n)
{
  if (d->nwords + n + 1 > d->capwords) {
    d->capwords = (d->nwords + n + 1) * 2;
    d->words = kc_xrealloc(d->words, d->capwords);
  }
  uint32_t at = (uint32_t)d->nwords;
  memcpy(d->words + at, w, n);
  d->words[at + n] = '\0';
  d->nwords += n + 1;
  return at;
}

static kc_tok *push(kc_doc *d)
{
  if (d->ntok == d->captok) {
    d->captok = d->captok ? d->captok * 2 : 256;
    d->tok = kc_xrealloc(d->tok, d->captok * sizeof *d->tok);
  }
  return memset(&d->tok[d->ntok++], 0, sizeof(kc_tok));
}

/* Multi-word names officials also abbreviate: one canonical token each, so "Ủy ban nhân dân
 * thành phố" and "UBND TP" read alike. */
static const struct {
  const char *words, *canon;
} contractions[] = {
    {"uy ban nhan dan", "ubnd"},
    {"hoi dong nhan dan", "hdnd"},
    {"thanh pho", "tp"},
    {"van phong", "vp"},
};

static void contract(kc_doc *d)
{
  kc_tok *t = d->tok;
  size_t n = d->ntok;
  for (size_t c = 0; c < sizeof contractions / sizeof *contractions; c++) {
    size_t k = 1;
    for (const char *p = contractions[c].words; *p; p++)
      k += *p == ' ';
    if (n < k || t[n - k].para != t[n - 1].para)
      continue;
    if (!kc_extract__seq(d, n - k, n, contractions[c].words))
      continue;
    kc_tok merged = t[n - k];
    merged.end = t[n - 1].end;
    merged.kind = KC_TOK_WORD;
    merged.w = add_word(d, contractions[c].canon, strlen(contractions[c].canon));
    d->ntok = n - k;
    *push(d) = merged;
    return;
  }
  /* "VPUBND" is "Văn phòng UBND" */
  const char *w = kc_tw(d, n - 1);
  if (!strcmp(w, "vpubnd") || !strcmp(w, "vpub")) {
    kc_tok a = t[n - 1];
    a.w = add_word(d, "vp", 2);
    t[n - 1] = a;
    kc_tok *b = push(d);
    *b = a;
    b->w = add_word(d, "ubnd", 4);
  }
}

static char punct_of(int32_t cp)
{
  if (cp < 0x80)
    return (char)cp;
  switch (cp) {
  case 0x201C:
  case 0x201D:
  case 0x201E:
  case 0xAB:
  case 0xBB: return '"';
  case 0x2018:
  case 0x2019: return '\'';
  case 0x2010:
  case 0x2011:
  case 0x2013:
  case 0x2014:
  case 0x2212: return '-';
  case 0x2026: return '.';
  default: return '~';
  }
}

void kc_extract__tokenize(kc_doc *d, const char *text, size_t len)
{
  memset(d, 0, sizeof *d);
  d->text = text;
  d->len = len;
  char word[256];
  size_t wn = 0, wstart = 0;
  bool cap = false, upper = true, digits = true;
  uint16_t para = 0;
  /* Folded forms of the code points below U+2000 (all Vietnamese letters): 0 = unknown. */
  char cache[0x2000][3];
  memset(cache, 0, sizeof cache);

  size_t i = 0;
  while (i <= len) {
    size_t used = 1;
    int32_t cp = i < len ? kc_utf8_decode(text + i, len - i, &used) : '\n';
    const char *f = NULL;
    char fb[32];
    bool alnum = false;
    if (cp < 0x80 && cp >= 0) {
      alnum = isalnum(cp);
      fb[0] = (char)tolower(cp);
      fb[1] = '\0';
      f = fb;
    } else if (cp > 0) {
      if (cp < 0x2000 && cache[cp][0]) {
        f = cache[cp];
      } else {
        kc_vn_fold(text + i, used, fb, sizeof fb);
        f = fb;
        if (cp < 0x2000 && strlen(fb) < 3)
          memcpy(cache[cp], fb[0] ? fb : "\x01", strlen(fb) + 1);
      }
      if (f[0] == '\x01')
        f = "";
      alnum = f[0] && isalnum((unsigned char)f[0]);
    }
    if (alnum && wn + strlen(f) < sizeof word) {
      if (wn == 0) {
        wstart = i;
        cap = cp < 0x80 ? isupper(cp) : utf8proc_isupper(cp);
        upper = true;
        digits = true;
      }
      if (cp < 0x80 ? islower(cp) : utf8proc_islower(cp))
        upper = false;
      if (!(cp < 0x80 && isdigit(cp)))
        digits = false;
      memcpy(word + wn, f, strlen(f));
      wn += strlen(f);
      i += used;
      continue;
    }
    if (wn) {
      kc_tok *t = push(d);
      t->w = add_word(d, word, wn);
      t->kind = digits ? KC_TOK_NUM : KC_TOK_WORD;
      t->flags = (uint8_t)((cap ? KC_TOK_CAP : 0) | (upper && !digits ? KC_TOK_UPPER : 0));
      t->para = para;
      t->start = (uint32_t)wstart;
      t->end = (uint32_t)i;
      wn = 0;
      if (!digits)
        contract(d);
    }
    if (cp == '\n') {
      para++;
    } else if (cp != ' ' && cp >= 0 && !alnum) {
      kc_tok *t = push(d);
      char c = punct_of(cp);
      t->w = add_word(d, &c, 1);
      t->kind = KC_TOK_PUNCT;
      t->para = para;
      t->start = (uint32_t)i;
      t->end = (uint32_t)(i + used);
    }
    i += used;
  }
}

void kc_extract__doc_free(kc_doc *d)
{
  free(d->tok);
  free(d->words);
  memset(d, 0, sizeof *d);
}

bool kc_extract__is(const kc_doc *d, size_t i, size_t lim, const char *w)
{
  return i < lim && i < d->ntok && !strcmp(kc_tw(d, i), w);
}

size_t kc_extract__seq(const kc_doc *d, size_t i, size_t lim, const char *pat)
{
  while (*pat) {
    const char *sp = strchr(pat, ' ');
    size_t n = sp ? (size_t)(sp - pat) : strlen(pat);
    if (i >= lim || i >= d->ntok)
      return 0;
    const char *w = kc_tw(d, i);
    if (strlen(w) != n || memcmp(w, pat, n))
      return 0;
    i++;
    pat += n;
    while (*pat == ' ')
      pat++;
  }
  return i;
}
