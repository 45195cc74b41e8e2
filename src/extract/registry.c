/* The unit registry as the extractor sees it: each unit's name in folded tokens (plus the
 * short forms officials write), the collective names that stand for groups of units, and the
 * matching of both against the text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "extract/internal.h"

#define MAX_ALIASES 3
#define MAX_WORDS 16

typedef struct alias {
  const char *w[MAX_WORDS];
  size_t n;
} alias;

typedef struct runit {
  kc_extract_unit u;
  alias a[MAX_ALIASES];
  size_t na;
  char initials[MAX_WORDS + 1]; /* "Sở Kế hoạch và Đầu tư" → "khdt", for "Sở KH&ĐT" */
} runit;

struct kc_extract_registry {
  runit *units;
  size_t n;
  kc_arena arena;
};

static const kc_extract_group groups[] = {
    {"departments", "Các sở, ban, ngành", "department"},
    {"districts", "UBND các quận, huyện, thị xã", "district"},
    {"communes", "UBND các phường, xã, thị trấn", "commune"},
    {"public_service", "Các đơn vị sự nghiệp công lập", "public_service"},
    {"all_units", "Các cơ quan, đơn vị", NULL},
};
enum { G_DEPT, G_DIST, G_COMM, G_PS, G_ALL };

const kc_extract_group *kc_extract_groups(size_t *n)
{
  *n = sizeof groups / sizeof *groups;
  return groups;
}

/* Separators inside a name that writers add or drop: "Văn hóa - Thể thao" is "Văn hóa và
 * Thể thao"; "các sở, ban, ngành" is "các sở ban ngành". */
static bool filler(const char *w)
{
  return !strcmp(w, "va") || !strcmp(w, "-") || !strcmp(w, "&") || !strcmp(w, ",");
}

static void add_alias(kc_arena *ar, runit *r, const kc_doc *d, size_t from)
{
  if (r->na == MAX_ALIASES || from >= d->ntok)
    return;
  alias *a = &r->a[r->na++];
  for (size_t i = from; i < d->ntok && a->n < MAX_WORDS; i++)
    if (!filler(kc_tw(d, i)))
      a->w[a->n++] = kc_arena_strdup(ar, kc_tw(d, i));
}

kc_extract_registry *kc_extract_registry_new(const kc_extract_unit *units, size_t n)
{
  kc_extract_registry *reg = kc_xcalloc(1, sizeof *reg);
  kc_arena_init(&reg->arena);
  reg->units = kc_arena_zalloc(&reg->arena, (n ? n : 1) * sizeof *reg->units);
  reg->n = n;
  for (size_t i = 0; i < n; i++) {
    runit *r = &reg->units[i];
    kc_arena *ar = &reg->arena;
    r->u.id = units[i].id;
    r->u.code = kc_arena_strdup(ar, units[i].code ? units[i].code : "");
    r->u.name = kc_arena_strdup(ar, units[i].name ? units[i].name : "");
    r->u.kind = kc_arena_strdup(ar, units[i].kind ? units[i].kind : "");
    r->u.parent = kc_arena_strdup(ar, units[i].parent ? units[i].parent : "");
    kc_doc d;
    kc_extract__tokenize(&d, r->u.name, strlen(r->u.name));
    add_alias(ar, r, &d, 0);
    bool ubnd = d.ntok > 1 && !strcmp(kc_tw(&d, 0), "ubnd");
    /* "quận Ba Đình" for "UBND quận Ba Đình" */
    if (ubnd && (!strcmp(r->u.kind, "district") || !strcmp(r->u.kind, "commune")))
      add_alias(ar, r, &d, 1);
    /* "UBND Thành phố", "UBND tỉnh" for the top of the tree */
    if (ubnd && !strcmp(r->u.kind, "city") && d.ntok > 2 && r->na < MAX_ALIASES) {
      alias *a = &r->a[r->na++];
      a->w[0] = "ubnd";
      a->w[1] = kc_arena_strdup(ar, kc_tw(&d, 1));
      a->n = 2;
    }
    if (d.ntok > 2 && !strcmp(kc_tw(&d, 0), "so")) {
      size_t k = 0;
      for (size_t t = 1; t < d.ntok && k < MAX_WORDS; t++)
        if (!filler(kc_tw(&d, t)))
          r->initials[k++] = kc_tw(&d, t)[0];
      r->initials[k] = '\0';
    }
    kc_extract__doc_free(&d);
  }
  return reg;
}

size_t kc_extract_registry_count(const kc_extract_registry *reg)
{
  return reg ? reg->n : 0;
}

const kc_extract_unit *kc_extract_registry_unit(const kc_extract_registry *reg, size_t i)
{
  return i < reg->n ? &reg->units[i].u : NULL;
}

void kc_extract_registry_free(kc_extract_registry *reg)
{
  if (!reg)
    return;
  kc_arena_free(&reg->arena);
  free(reg);
}

/* Splits `line` at tabs into at most `max` fields; returns the count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
  size_t n = 0;
  f[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == '\t') {
      *p = '\0';
      f[n++] = p + 1;
    }
  return n;
}

kc_err kc_extract_registry_load_tsv(const char *path, kc_extract_registry **out, char *err,
                                    size_t errcap)
{
  kc_err rc = KC_OK;
  kc_extract_unit *units = NULL;
  size_t n = 0, cap = 0, lineno = 0;
  char *line = NULL;
  size_t linecap = 0;
  kc_arena ar;
  kc_arena_init(&ar);
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errcap, "không đọc được danh mục đơn vị %s: %s", path, strerror(errno));
    rc = KC_EIO;
    goto out;
  }
  ssize_t got;
  while ((got = getline(&line, &linecap, f)) >= 0) {
    lineno++;
    while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
      line[--got] = '\0';
    if (got == 0 || line[0] == '#' || (lineno == 1 && !strncmp(line, "code\t", 5)))
      continue;
    char *fld[4] = {0};
    size_t nf = split_tabs(line, fld, 4);
    if (nf < 3 || !*fld[0] || !*fld[1]) {
      snprintf(err, errcap, "%s:%zu: cần các cột code, name, kind, parent", path, lineno);
      rc = KC_EFIELD;
      goto out;
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      units = kc_xrealloc(units, cap * sizeof *units);
    }
    units[n++] = (kc_extract_unit){(int64_t)lineno, kc_arena_strdup(&ar, fld[0]),
                                   kc_arena_strdup(&ar, fld[1]), kc_arena_strdup(&ar, fld[2]),
                                   kc_arena_strdup(&ar, nf > 3 ? fld[3] : "")};
  }
  *out = kc_extract_registry_new(units, n);
out:
  if (f)
    fclose(f);
  free(line);
  free(units);
  kc_arena_free(&ar);
  return rc;
}

/* ---- Matching ------------------------------------------------------------------------- */

/* Matches alias words from token i, skipping fillers on the text side. */
static size_t match_alias(const kc_doc *d, size_t i, size_t lim, const alias *a, size_t from)
{
  size_t last = 0;
  for (size_t k = from; k < a->n; k++) {
    while (k > from && i < lim && filler(kc_tw(d, i)))
      i++;
    if (i >= lim || d->tok[i].kind == KC_TOK_PUNCT || strcmp(kc_tw(d, i), a->w[k]))
      return 0;
    last = ++i;
  }
  return last;
}

/* "Sở KH&ĐT", "Sở TT-TT": capitals after the head spell the initials of the name. */
static size_t match_initials(const kc_doc *d, size_t i, size_t lim, const char *initials)
{
  char got[MAX_WORDS + 1];
  size_t n = 0, end = 0;
  for (size_t t = i; t < lim && t < i + 6; t++) {
    const char *w = kc_tw(d, t);
    if (d->tok[t].kind == KC_TOK_PUNCT && (w[0] == '&' || w[0] == '-') && n)
      continue;
    if (d->tok[t].kind != KC_TOK_WORD || !(d->tok[t].flags & KC_TOK_UPPER) ||
        n + strlen(w) > MAX_WORDS)
      break;
    memcpy(got + n, w, strlen(w));
    n += strlen(w);
    got[n] = '\0';
    if (!strcmp(got, initials))
      end = t + 1;
  }
  return end;
}

/* Matches pattern words, skipping fillers between them on the text side. */
static size_t gseq(const kc_doc *d, size_t i, size_t lim, const char *pat)
{
  bool first = true;
  while (*pat) {
    const char *sp = strchr(pat, ' ');
    size_t n = sp ? (size_t)(sp - pat) : strlen(pat);
    while (!first && i < lim && filler(kc_tw(d, i)))
      i++;
    if (i >= lim)
      return 0;
    const char *w = kc_tw(d, i);
    if (strlen(w) != n || memcmp(w, pat, n))
      return 0;
    i++;
    first = false;
    pat += n;
    while (*pat == ' ')
      pat++;
  }
  return i;
}

/* Collective names, longest first within each group. */
static const struct {
  int group;
  const char *pat;
} gpats[] = {
    {G_DEPT, "cac so co quan tuong duong so"},
    {G_DEPT, "cac so co quan ngang so"},
    {G_DEPT, "cac so ban nganh doan the"},
    {G_DEPT, "cac so ban nganh"},
    {G_DEPT, "cac so nganh"},
    {G_DEPT, "so ban nganh"},
    {G_DEPT, "cac ban nganh"},
    {G_DEPT, "so nganh"},
    {G_DEPT, "cac so"},
    {G_DEPT, "cac nganh"},
    {G_DEPT, "cac co quan chuyen mon"},
    {G_DEPT, "co quan chuyen mon"},
    {G_DEPT, "cac co quan tuong duong so"},
    {G_DEPT, "co quan tuong duong so"},
    {G_DEPT, "co quan ngang so"},
    {G_PS, "cac don vi su nghiep cong lap"},
    {G_PS, "don vi su nghiep cong lap"},
    {G_PS, "cac don vi su nghiep cong"},
    {G_PS, "don vi su nghiep cong"},
    {G_PS, "cac don vi su nghiep"},
    {G_ALL, "cac co quan to chuc don vi"},
    {G_ALL, "cac co quan don vi dia phuong"},
    {G_ALL, "cac co quan don vi"},
    {G_ALL, "co quan don vi dia phuong"},
    {G_ALL, "co quan don vi"},
    {G_ALL, "cac co quan hanh chinh nha nuoc"},
    {G_ALL, "cac don vi"},
    {G_ALL, "cac co quan"},
};

/* "UBND các quận, huyện, thị xã", "UBND cấp huyện", "các huyện, thành phố", "cấp xã". */
static size_t match_levels(const kc_doc *d, size_t i, size_t lim, bool district)
{
  size_t j = i;
  if (kc_extract__is(d, j, lim, "ubnd"))
    j++;
  bool cac = kc_extract__is(d, j, lim, "cac");
  if (cac)
    j++;
  size_t e = kc_extract__seq(d, j, lim, district ? "cap huyen" : "cap xa");
  if (e)
    return e;
  size_t count = 0, end = 0;
  while (j < lim) {
    size_t k = j;
    while (count && k < lim && filler(kc_tw(d, k)))
      k++;
    size_t m = 0;
    if (district) {
      if (kc_extract__is(d, k, lim, "quan") || kc_extract__is(d, k, lim, "huyen") ||
          kc_extract__is(d, k, lim, "tp"))
        m = k + 1;
      else
        m = kc_extract__seq(d, k, lim, "thi xa");
    } else {
      if (kc_extract__is(d, k, lim, "phuong") || kc_extract__is(d, k, lim, "xa"))
        m = k + 1;
      else
        m = kc_extract__seq(d, k, lim, "thi tran");
    }
    if (!m)
      break;
    count++;
    end = j = m;
  }
  return (count >= 2 || (count == 1 && cac)) ? end : 0;
}

size_t kc_extract__match_unit(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                              const char *implied, const kc_extract_unit **unit,
                              const kc_extract_group **group)
{
  size_t best = 0;
  *unit = NULL;
  *group = NULL;
  for (size_t u = 0; u < reg->n; u++) {
    const runit *r = &reg->units[u];
    for (size_t a = 0; a < r->na; a++) {
      size_t e;
      if (implied)
        e = r->a[a].n > 1 && !strcmp(r->a[a].w[0], implied) ? match_alias(d, i, lim, &r->a[a], 1)
                                                            : 0;
      else
        e = match_alias(d, i, lim, &r->a[a], 0);
      if (e > best) {
        best = e;
        *unit = &r->u;
      }
    }
    if (r->initials[0] && strlen(r->initials) >= 2) {
      size_t from = implied ? i : (kc_extract__is(d, i, lim, "so") ? i + 1 : 0);
      size_t e = from ? match_initials(d, from, lim, r->initials) : 0;
      if (e > best) {
        best = e;
        *unit = &r->u;
      }
    }
  }
  if (implied)
    return best;
  for (size_t p = 0; p < sizeof gpats / sizeof *gpats; p++) {
    size_t e = gseq(d, i, lim, gpats[p].pat);
    if (e > best) {
      best = e;
      *unit = NULL;
      *group = &groups[gpats[p].group];
    }
  }
  for (int g = 0; g < 2; g++) {
    size_t e = match_levels(d, i, lim, g == 0);
    if (e > best) {
      best = e;
      *unit = NULL;
      *group = &groups[g == 0 ? G_DIST : G_COMM];
    }
  }
  return best;
}
