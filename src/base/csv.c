/* csv.c: see csv.h. One pass over the text; the fields of the current record are unquoted into
 * one buffer (NUL after each) that is reused from record to record. */
#include "base/csv.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char bom[] = "\xEF\xBB\xBF";

static size_t skip_bom(const char *text, size_t len)
{
  return len >= 3 && !memcmp(text, bom, 3) ? 3 : 0;
}

char kc_csv_detect_sep(const char *text, size_t len)
{
  size_t commas = 0, semis = 0;
  bool quoted = false;
  size_t i = skip_bom(text, len);
  while (i < len && (text[i] == '\r' || text[i] == '\n'))
    i++; /* empty lines before the header */
  for (; i < len; i++) {
    char c = text[i];
    if (c == '"')
      quoted = !quoted; /* "" inside quotes toggles twice: no change */
    else if (quoted)
      continue;
    else if (c == '\n' || c == '\r')
      break;
    else if (c == ',')
      commas++;
    else if (c == ';')
      semis++;
  }
  return semis > commas ? ';' : ',';
}

typedef struct reader {
  const char *p, *end;
  size_t line, record;
  char *buf; /* the current record's fields, each followed by a NUL */
  size_t len, cap;
  size_t nfields;
  size_t off[KC_CSV_MAX_FIELDS];
  size_t lens[KC_CSV_MAX_FIELDS];
  const char *ptrs[KC_CSV_MAX_FIELDS];
  kc_csv_error *err;
} reader;

static kc_err KC_PRINTF(4, 5) fail(reader *r, kc_err e, size_t line, const char *fmt, ...)
{
  if (r->err) {
    r->err->line = line;
    r->err->record = r->record;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
    va_end(ap);
  }
  return e;
}

/* Appends n bytes to the field being read, refusing a field over the limit. */
static kc_err append(reader *r, size_t field_start, const char *s, size_t n)
{
  if (r->len - field_start + n > KC_CSV_MAX_FIELD)
    return fail(r, KC_ETOOLARGE, r->line, "ô dài quá %d byte", KC_CSV_MAX_FIELD);
  if (r->len + n + 1 > r->cap) {
    r->cap = (r->len + n + 1) * 2;
    r->buf = kc_xrealloc(r->buf, r->cap);
  }
  memcpy(r->buf + r->len, s, n);
  r->len += n;
  return KC_OK;
}

/* Skips one line end (CRLF, LF or CR) at r->p, if there is one, and counts it. */
static bool eat_eol(reader *r)
{
  if (r->p < r->end && *r->p == '\r') {
    r->p++;
    if (r->p < r->end && *r->p == '\n')
      r->p++;
  } else if (r->p < r->end && *r->p == '\n') {
    r->p++;
  } else {
    return false;
  }
  r->line++;
  return true;
}

static kc_err nul_byte(reader *r)
{
  return fail(r, KC_EFIELD, r->line, "có ký tự NUL (tệp không phải văn bản CSV)");
}

/* Reads one field starting at r->p into the buffer; r->p is left on what follows it. */
static kc_err read_field(reader *r, char sep)
{
  size_t start = r->len;
  kc_err e;
  if (r->p < r->end && *r->p == '"') {
    size_t open_line = r->line;
    r->p++;
    for (;;) {
      const char *q = r->p;
      while (q < r->end && *q != '"' && *q != '\r' && *q != '\n' && *q)
        q++;
      e = append(r, start, r->p, (size_t)(q - r->p));
      if (e)
        return e;
      r->p = q;
      if (q == r->end)
        return fail(r, KC_EFIELD, open_line,
                    "dấu ngoặc kép mở ở dòng này không được đóng (đến hết tệp)");
      if (!*q)
        return nul_byte(r);
      if (*q == '\r' || *q == '\n') {
        const char *eol = q;
        eat_eol(r);
        e = append(r, start, eol, (size_t)(r->p - eol));
        if (e)
          return e;
        continue;
      }
      /* a quote: doubled, it stands for itself; alone, it closes the field */
      if (q + 1 < r->end && q[1] == '"') {
        e = append(r, start, "\"", 1);
        if (e)
          return e;
        r->p = q + 2;
        continue;
      }
      r->p = q + 1;
      break;
    }
    if (r->p < r->end && *r->p != sep && *r->p != '\r' && *r->p != '\n')
      return fail(r, KC_EFIELD, r->line,
                  "có ký tự sau dấu ngoặc kép đóng (trong ô có dấu \" phải viết thành \"\")");
  } else {
    const char *q = r->p;
    while (q < r->end && *q != sep && *q != '\r' && *q != '\n' && *q)
      q++;
    if (q < r->end && !*q)
      return nul_byte(r);
    e = append(r, start, r->p, (size_t)(q - r->p));
    if (e)
      return e;
    r->p = q;
  }
  if (r->nfields == KC_CSV_MAX_FIELDS)
    return fail(r, KC_ETOOLARGE, r->line, "nhiều hơn %d cột", KC_CSV_MAX_FIELDS);
  r->off[r->nfields] = start;
  r->lens[r->nfields] = r->len - start;
  r->nfields++;
  e = append(r, r->len, "", 1); /* the NUL; never over the limit (len - start is 0) */
  if (e)
    return e;
  return KC_OK;
}

/* The number of line ends in the first `n` bytes of `s` (CRLF counts once). */
static size_t lines_in(const char *s, size_t n)
{
  size_t lines = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
      lines++;
  return lines;
}

kc_err kc_csv_parse(const char *text, size_t len, char sep, kc_csv_row_fn fn, void *user,
                    kc_csv_error *err)
{
  reader r = {.line = 1, .err = err};
  kc_err e = KC_OK;
  if (len >= 2 &&
      ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
    return fail(&r, KC_EFIELD, 1,
                "tệp được lưu dạng UTF-16 (Unicode Text); hãy lưu lại dưới dạng «CSV UTF-8»");
  if (!sep)
    sep = kc_csv_detect_sep(text, len);
  assert(sep == ',' || sep == ';');
  size_t start = skip_bom(text, len);
  r.p = text + start;
  r.end = text + len;
  while (r.p < r.end) {
    size_t first_line = r.line;
    const char *first = r.p;
    r.record++;
    if (r.record > KC_CSV_MAX_ROWS) {
      e = fail(&r, KC_ETOOLARGE, r.line, "nhiều hơn %d dòng", KC_CSV_MAX_ROWS);
      goto out;
    }
    r.len = 0;
    r.nfields = 0;
    for (;;) {
      e = read_field(&r, sep);
      if (e)
        goto out;
      if (r.p < r.end && *r.p == sep) {
        r.p++;
        continue;
      }
      eat_eol(&r);
      break;
    }
    /* Delimiters are ASCII, so checking each record's bytes checks the whole text, and the
     * error can name the record. */
    size_t good = kc_utf8_valid_prefix(first, (size_t)(r.p - first));
    if (good < (size_t)(r.p - first)) {
      e = fail(&r, KC_EFIELD, first_line + lines_in(first, good),
               "không phải UTF-8 hợp lệ (có thể tệp được lưu theo bảng mã Windows-1258 hoặc "
               "TCVN3); hãy lưu lại dưới dạng «CSV UTF-8»");
      goto out;
    }
    for (size_t i = 0; i < r.nfields; i++)
      r.ptrs[i] = r.buf + r.off[i];
    kc_csv_row row = {.record = r.record,
                      .line = first_line,
                      .nfields = r.nfields,
                      .fields = r.ptrs,
                      .lens = r.lens};
    e = fn(user, &row);
    if (e)
      goto out;
  }
out:
  free(r.buf);
  return e;
}

/* ---- writing ---------------------------------------------------------------------------- */

static bool formula_start(char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Text the writer prefixes with an apostrophe: a formula character first, or an apostrophe
 * already there before one (so that kc_csv_unprotect gives such text back exactly). */
static bool needs_apostrophe(const char *s, size_t n)
{
  return n && (formula_start(s[0]) || (n >= 2 && s[0] == '\'' && formula_start(s[1])));
}

/* Text a spreadsheet would take for a number or a date: a digit first, then only digits and
 * the punctuation of numbers, dates and times. Letters anywhere keep it text already. */
static bool looks_numeric(const char *s, size_t n)
{
  if (!n || s[0] < '0' || s[0] > '9')
    return false;
  for (size_t i = 0; i < n; i++)
    if (!strchr("0123456789.,/:-% ", s[i]) || !s[i])
      return false;
  return true;
}

/* The field `prefix` + s, quoted when it must be (the prefix is part of the field's text). */
static void put_quoted(kc_strbuf *b, const char *prefix, const char *s, size_t n)
{
  bool quote = false;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == ';' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
  if (quote)
    kc_strbuf_addch(b, '"');
  kc_strbuf_addstr(b, prefix);
  if (!quote) {
    kc_strbuf_add(b, s, n);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    kc_strbuf_addch(b, s[i]);
    if (s[i] == '"')
      kc_strbuf_addch(b, '"'); /* a quote inside a quoted field is doubled */
  }
  kc_strbuf_addch(b, '"');
}

void kc_csv_put(kc_strbuf *b, const char *s, size_t n, kc_csv_cell kind)
{
  if (kind == KC_CSV_TEXT && needs_apostrophe(s, n)) {
    put_quoted(b, "'", s, n);
  } else if (kind == KC_CSV_TEXT && looks_numeric(s, n)) {
    /* ="…" quoted: the field's text is  ="1.000890"  so every quote is doubled. */
    kc_strbuf_addstr(b, "\"=\"\"");
    kc_strbuf_add(b, s, n);
    kc_strbuf_addstr(b, "\"\"\"");
  } else {
    put_quoted(b, "", s, n);
  }
}

void kc_csv_unprotect(const char **s, size_t *n)
{
  const char *p = *s;
  size_t len = *n;
  if (len >= 3 && p[0] == '=' && p[1] == '"' && p[len - 1] == '"' &&
      looks_numeric(p + 2, len - 3)) {
    *s = p + 2;
    *n = len - 3;
  } else if (len >= 2 && p[0] == '\'' && needs_apostrophe(p + 1, len - 1)) {
    *s = p + 1;
    *n = len - 1;
  }
}
