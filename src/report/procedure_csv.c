/* procedure_csv.c: see procedure_csv.h. Export writes CSV itself (like table.c); import reads
 * it with base/csv and maps the header's keys back to members. */
#include "report/procedure_csv.h"
#include "base/csv.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "base/vntext.h"
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the columns ------------------------------------------------------------------------ */

typedef enum {
  C_CODE,
  C_NAME,
  C_FIELD,
  C_LEVEL,
  C_UNIT,
  C_PROCESSING,
  C_DAY_KIND,
  C_CUTOFF,
  C_FEE,
  C_COMPONENTS,
  C_STEPS,
  C_REQUIREMENTS,
  C_RESULT,
  C_LEGAL,
  C_SOURCE,
  C_PUBLISHED,
  C__COUNT
} col_id;

static const struct {
  const char *key, *title;
} cols[C__COUNT] = {
    [C_CODE] = {"code", "Mã thủ tục"},
    [C_NAME] = {"name", "Tên thủ tục"},
    [C_FIELD] = {"field", "Lĩnh vực"},
    [C_LEVEL] = {"level", "Cấp thực hiện"},
    [C_UNIT] = {"unit_code", "Mã đơn vị thực hiện"},
    [C_PROCESSING] = {"processing", "Thời hạn"},
    [C_DAY_KIND] = {"day_kind", "Loại ngày"},
    [C_CUTOFF] = {"cutoff_hour", "Giờ nhận cuối ngày"},
    [C_FEE] = {"fee", "Lệ phí"},
    [C_COMPONENTS] = {"components", "Thành phần hồ sơ"},
    [C_STEPS] = {"steps", "Quy trình"},
    [C_REQUIREMENTS] = {"requirements", "Yêu cầu, điều kiện"},
    [C_RESULT] = {"result", "Kết quả"},
    [C_LEGAL] = {"legal_basis", "Căn cứ pháp lý"},
    [C_SOURCE] = {"source", "Nguồn"},
    [C_PUBLISHED] = {"published", "Công bố"},
};

/* ---- export ----------------------------------------------------------------------------- */

/* A number as Vietnamese write it: "1", "0,5", "1,25". */
static void put_number(kc_strbuf *b, double v)
{
  char buf[64];
  if (v == floor(v) && fabs(v) < 1e15) {
    snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v)
      snprintf(buf, sizeof buf, "%.17g", v);
  }
  for (char *p = buf; *p; p++)
    if (*p == '.')
      *p = ',';
  kc_strbuf_addstr(b, buf);
}

/* A scalar member as cell text: strings as they are, numbers with a decimal comma, booleans as
 * có/không; absent, null, arrays and objects as nothing. */
static void put_scalar(kc_strbuf *b, const json_t *v)
{
  if (json_is_string(v))
    kc_strbuf_add(b, json_string_value(v), json_string_length(v));
  else if (json_is_number(v))
    put_number(b, json_number_value(v));
  else if (json_is_boolean(v))
    kc_strbuf_addstr(b, json_is_true(v) ? "có" : "không");
}

/* " | part", or " |" for an empty part, so that an empty unit reads "Tiếp nhận | | 0,5". */
static void put_part(kc_strbuf *b, const json_t *v)
{
  size_t before = b->len;
  kc_strbuf_add(b, " | ", 3);
  size_t mark = b->len;
  put_scalar(b, v);
  if (b->len == mark)
    kc_strbuf_setlen(b, before + 2);
}

static void put_components(kc_strbuf *b, const json_t *list)
{
  size_t i;
  json_t *it;
  json_array_foreach(list, i, it)
  {
    if (i)
      kc_strbuf_add(b, "\n", 1);
    put_scalar(b, json_object_get(it, "name"));
    put_part(b, json_object_get(it, "originals"));
    put_part(b, json_object_get(it, "copies"));
    const json_t *form = json_object_get(it, "form");
    if (json_is_string(form) && json_string_length(form))
      put_part(b, form);
  }
}

static void put_steps(kc_strbuf *b, const json_t *list)
{
  size_t i;
  json_t *it;
  json_array_foreach(list, i, it)
  {
    if (i)
      kc_strbuf_add(b, "\n", 1);
    put_scalar(b, json_object_get(it, "name"));
    put_part(b, json_object_get(it, "unit_code"));
    put_part(b, json_object_get(it, "days"));
  }
}

/* Writes the cell's text; returns how kc_csv_put must protect it: numbers kycuong formatted
 * itself are left as they are, text is kept away from Excel's formulas and number guessing. */
static kc_csv_cell put_cell(kc_strbuf *cell, const json_t *rec, col_id c)
{
  const char *kind = json_string_value(json_object_get(rec, "day_kind"));
  bool hours = kind && !strcmp(kind, "hours");
  switch (c) {
  case C_PROCESSING:
    put_scalar(cell, json_object_get(rec, hours ? "processing_hours" : "processing_days"));
    return KC_CSV_NUMBER;
  case C_COMPONENTS: put_components(cell, json_object_get(rec, "components")); return KC_CSV_TEXT;
  case C_STEPS: put_steps(cell, json_object_get(rec, "steps")); return KC_CSV_TEXT;
  case C_PUBLISHED:
    kc_strbuf_addstr(cell, json_is_true(json_object_get(rec, "published")) ? "có" : "không");
    return KC_CSV_TEXT;
  default: {
    const json_t *v = json_object_get(rec, cols[c].key);
    put_scalar(cell, v);
    return json_is_number(v) ? KC_CSV_NUMBER : KC_CSV_TEXT;
  }
  }
}

kc_err kc_procedures_to_csv(const json_t *arr, char **out, size_t *len)
{
  if (!json_is_array(arr))
    return KC_EFIELD;
  for (size_t i = 0; i < json_array_size(arr); i++)
    if (!json_is_object(json_array_get(arr, i)))
      return KC_EFIELD;
  kc_strbuf b = KC_STRBUF_INIT, cell = KC_STRBUF_INIT;
  kc_strbuf_add(&b, "\xEF\xBB\xBF", 3); /* BOM: Excel reads the file as UTF-8 */
  for (int c = 0; c < C__COUNT; c++) {
    kc_strbuf_reset(&cell);
    if (c)
      kc_strbuf_add(&b, ",", 1);
    kc_strbuf_addstr(&cell, cols[c].title);
    kc_strbuf_addstr(&cell, " (");
    kc_strbuf_addstr(&cell, cols[c].key);
    kc_strbuf_addstr(&cell, ")");
    kc_csv_put(&b, cell.buf, cell.len, KC_CSV_TEXT);
  }
  kc_strbuf_add(&b, "\r\n", 2);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    const json_t *rec = json_array_get(arr, i);
    for (int c = 0; c < C__COUNT; c++) {
      if (c)
        kc_strbuf_add(&b, ",", 1);
      kc_strbuf_reset(&cell);
      kc_csv_cell kind = put_cell(&cell, rec, (col_id)c);
      kc_csv_put(&b, cell.buf, cell.len, kind);
    }
    kc_strbuf_add(&b, "\r\n", 2);
  }
  kc_strbuf_release(&cell);
  *out = kc_strbuf_detach(&b, len);
  return KC_OK;
}

/* ---- import ----------------------------------------------------------------------------- */

typedef struct importer {
  json_t *arr;
  char *err;
  size_t cap;
  bool have_header;
  size_t ncols;                      /* fields in the header */
  int col_at[KC_CSV_MAX_FIELDS];     /* the column of each header field; -1: untitled */
  char *title_at[KC_CSV_MAX_FIELDS]; /* the header's text, for messages */
  int pos_of[C__COUNT];              /* the header field of each column; -1: absent */
} importer;

/* "A".."Z", "AA"..: the letter a spreadsheet gives to 0-based field `pos`. */
static void col_letters(size_t pos, char out[8])
{
  char tmp[8];
  size_t n = 0;
  pos++;
  while (pos && n < 7) {
    tmp[n++] = (char)('A' + (pos - 1) % 26);
    pos = (pos - 1) / 26;
  }
  for (size_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  out[n] = 0;
}

/* Writes "Dòng R[ (dòng L của tệp)][, cột «T»]: message" into the caller's buffer. pos < 0: no
 * column. */
static kc_err KC_PRINTF(5, 6)
    row_fail(importer *m, size_t record, size_t line, long pos, const char *fmt, ...)
{
  char msg[512], where[64] = "", col[320] = "";
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (line && line != record)
    snprintf(where, sizeof where, " (dòng %zu của tệp)", line);
  if (pos >= 0) {
    const char *t = (size_t)pos < m->ncols ? m->title_at[pos] : NULL;
    if (t && *t) {
      snprintf(col, sizeof col, ", cột «%s»", t);
    } else {
      char letters[8];
      col_letters((size_t)pos, letters);
      snprintf(col, sizeof col, ", cột %s", letters);
    }
  }
  if (m->cap)
    snprintf(m->err, m->cap, "Dòng %zu%s%s: %s", record, where, col, msg);
  return KC_EFIELD;
}

static bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool blank(const char *s)
{
  while (is_space(*s))
    s++;
  return !*s;
}

/* A copy of `s` (n bytes) without the white space around it; malloc'd. */
static char *trimmed(const char *s, size_t n)
{
  while (n && is_space(*s)) {
    s++;
    n--;
  }
  while (n && is_space(s[n - 1]))
    n--;
  char *t = kc_xmalloc(n + 1);
  memcpy(t, s, n);
  t[n] = 0;
  return t;
}

/* At most about 60 bytes of `s`, cut at a character boundary, for quoting in a message. */
static const char *excerpt(const char *s, char buf[80])
{
  size_t n = strlen(s);
  if (n <= 60)
    return s;
  n = 60;
  while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  memcpy(buf, s, n);
  memcpy(buf + n, "…", sizeof "…");
  return buf;
}

/* The cell of the row in header field `pos` ("" past the row's end), cleaned: no control
 * characters but tab and line ends, line ends made LF, NFC, trimmed. *out is malloc'd. */
static kc_err cell_text(importer *m, const kc_csv_row *row, int pos, char **out)
{
  const char *s = (size_t)pos < row->nfields ? row->fields[pos] : "";
  size_t n = (size_t)pos < row->nfields ? row->lens[pos] : 0;
  kc_csv_unprotect(&s, &n); /* what kc_procedures_to_csv wrote to keep Excel off the text */
  if (!kc_utf8_is_clean_text(s, n))
    return row_fail(m, row->record, row->line, pos, "có ký tự điều khiển không được phép");
  char *lf = kc_xmalloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\r') {
      lf[k++] = '\n';
      if (i + 1 < n && s[i + 1] == '\n')
        i++;
    } else {
      lf[k++] = s[i];
    }
  }
  size_t nfc_len = 0;
  char *nfc = kc_vn_nfc(lf, k, &nfc_len);
  free(lf);
  if (!nfc) /* the reader let only valid UTF-8 through */
    return row_fail(m, row->record, row->line, pos, "không phải UTF-8 hợp lệ");
  *out = trimmed(nfc, nfc_len);
  free(nfc);
  return KC_OK;
}

/* A number ≥ 0 written as digits with at most one decimal comma or point: "2", "1,5", ".5". */
static bool parse_number(const char *s, double *v)
{
  char buf[32];
  size_t n = 0, digits = 0;
  bool point = false;
  for (const char *p = s; *p; p++) {
    if (n + 1 >= sizeof buf)
      return false;
    if (*p >= '0' && *p <= '9') {
      digits++;
    } else if ((*p == ',' || *p == '.') && !point) {
      point = true;
    } else {
      return false;
    }
    buf[n++] = *p == ',' ? '.' : *p;
  }
  buf[n] = 0;
  if (!digits)
    return false;
  *v = strtod(buf, NULL);
  return true;
}

/* A JSON number: an integer when whole (so that 1 round-trips as 1, not 1.0). */
static json_t *number_json(double v)
{
  if (v == floor(v) && v < 9007199254740992.0)
    return json_integer((json_int_t)v);
  return json_real(v);
}

/* The search form of `s`, for matching words the way people type them ("Có", "co", "CÓ"). */
static void folded(const char *s, char *out, size_t cap)
{
  kc_vn_fold(s, strlen(s), out, cap);
}

static bool one_of(const char *f, const char *const *words)
{
  for (; *words; words++)
    if (!strcmp(f, *words))
      return true;
  return false;
}

/* Splits line `s` (modified in place) at '|' into at most `max` trimmed parts; returns the
 * number of parts found, which may exceed `max` (then only `max` are stored). */
static size_t split_parts(char *s, char **parts, size_t max)
{
  size_t n = 0;
  for (char *p = s;; p++) {
    char *bar = strchr(p, '|');
    if (bar)
      *bar = 0;
    char *b = p, *e = p + strlen(p);
    while (is_space(*b))
      b++;
    while (e > b && is_space(e[-1]))
      *--e = 0;
    if (n < max)
      parts[n] = b;
    n++;
    if (!bar)
      return n;
    p = bar;
  }
}

/* Parses "Tên | 1 | 0 | Mẫu" lines (components) or "Tên | mã | 1,5" lines (steps). */
static kc_err parse_list(importer *m, const kc_csv_row *row, int pos, char *text, bool steps,
                         json_t **out)
{
  json_t *list = json_array();
  size_t item = 0;
  char ex[80];
  kc_err e = KC_OK;
  for (char *line = text; line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = 0;
    char *next = nl ? nl + 1 : NULL;
    if (blank(line)) {
      line = next;
      continue;
    }
    item++;
    char copy[200];
    snprintf(copy, sizeof copy, "%s", excerpt(line, ex));
    char *p[4];
    size_t n = split_parts(line, p, 4);
    json_t *obj = NULL;
    if (steps) {
      double days;
      if (n != 3) {
        e = row_fail(m, row->record, row->line, pos,
                     "bước %zu «%s» phải có 3 phần «Tên bước | mã đơn vị | số ngày», "
                     "có %zu phần",
                     item, copy, n);
        goto out;
      }
      if (!*p[0]) {
        e = row_fail(m, row->record, row->line, pos, "bước %zu thiếu tên bước", item);
        goto out;
      }
      if (!parse_number(p[2], &days)) {
        e = row_fail(m, row->record, row->line, pos, "bước %zu: số ngày «%s» không phải là số",
                     item, p[2]);
        goto out;
      }
      obj = json_pack("{s:s, s:o, s:o}", "name", p[0], "unit_code",
                      *p[1] ? json_string(p[1]) : json_null(), "days", number_json(days));
    } else {
      double num[2];
      if (n != 3 && n != 4) {
        e = row_fail(m, row->record, row->line, pos,
                     "giấy tờ %zu «%s» phải có dạng «Tên giấy tờ | số bản chính | số bản sao | "
                     "mẫu», có %zu phần",
                     item, copy, n);
        goto out;
      }
      if (!*p[0]) {
        e = row_fail(m, row->record, row->line, pos, "giấy tờ %zu thiếu tên giấy tờ", item);
        goto out;
      }
      for (int k = 0; k < 2; k++)
        if (!parse_number(p[1 + k], &num[k]) || num[k] != floor(num[k]) || num[k] > 1000) {
          e = row_fail(m, row->record, row->line, pos,
                       "giấy tờ %zu: số bản %s «%s» không phải là số nguyên", item,
                       k ? "sao" : "chính", p[1 + k]);
          goto out;
        }
      obj =
          json_pack("{s:s, s:I, s:I, s:o}", "name", p[0], "originals", (json_int_t)num[0], "copies",
                    (json_int_t)num[1], "form", n == 4 && *p[3] ? json_string(p[3]) : json_null());
    }
    assert(obj); /* json_pack fails only on invalid UTF-8, which cell_text refused */
    json_array_append_new(list, obj);
    line = next;
  }
out:
  if (e) {
    json_decref(list);
    return e;
  }
  *out = list;
  return KC_OK;
}

static int find_column(const char *title)
{
  /* the key in the last parentheses, else the whole title */
  const char *b = title, *e = title + strlen(title);
  if (e > b && e[-1] == ')') {
    const char *open = e - 1;
    while (open > b && *open != '(')
      open--;
    if (*open == '(') {
      b = open + 1;
      e--;
    }
  }
  while (b < e && is_space(*b))
    b++;
  while (e > b && is_space(e[-1]))
    e--;
  for (int c = 0; c < C__COUNT; c++)
    if (strlen(cols[c].key) == (size_t)(e - b) && !strncasecmp(cols[c].key, b, (size_t)(e - b)))
      return c;
  /* a bare Vietnamese title, case and tones aside */
  char f[256], g[256];
  folded(title, f, sizeof f);
  for (int c = 0; c < C__COUNT; c++) {
    folded(cols[c].title, g, sizeof g);
    if (!strcmp(f, g))
      return c;
  }
  return -1;
}

static kc_err read_header(importer *m, const kc_csv_row *row)
{
  char unknown[600] = "";
  size_t nunknown = 0;
  m->ncols = row->nfields;
  for (size_t i = 0; i < row->nfields; i++) {
    char *t = kc_vn_nfc(row->fields[i], row->lens[i], NULL);
    m->title_at[i] = trimmed(t, strlen(t));
    free(t);
  }
  for (size_t i = 0; i < row->nfields; i++) {
    const char *t = m->title_at[i];
    m->col_at[i] = -1;
    if (!*t)
      continue;
    int c = find_column(t);
    if (c < 0) {
      size_t u = strlen(unknown);
      if (u + strlen(t) + 8 < sizeof unknown)
        snprintf(unknown + u, sizeof unknown - u, "%s«%s»", nunknown ? ", " : "", t);
      nunknown++;
      continue;
    }
    if (m->pos_of[c] >= 0)
      return row_fail(m, row->record, row->line, (long)i, "cột này lặp lại cột «%s»",
                      m->title_at[m->pos_of[c]]);
    m->pos_of[c] = (int)i;
    m->col_at[i] = c;
  }
  if (nunknown)
    return row_fail(m, row->record, row->line, -1,
                    "%s %s không có trong danh mục (tên cột phải kết thúc bằng mã trong ngoặc, "
                    "ví dụ «Tên thủ tục (name)»)",
                    nunknown > 1 ? "các cột" : "cột", unknown);
  for (int c = C_CODE; c <= C_NAME; c++)
    if (m->pos_of[c] < 0)
      return row_fail(m, row->record, row->line, -1, "thiếu cột «%s (%s)»", cols[c].title,
                      cols[c].key);
  m->have_header = true;
  return KC_OK;
}

static kc_err read_record(importer *m, const kc_csv_row *row)
{
  /* data outside the titled columns is refused rather than dropped */
  for (size_t i = 0; i < row->nfields; i++)
    if ((i >= m->ncols || m->col_at[i] < 0) && !blank(row->fields[i]))
      return row_fail(m, row->record, row->line, (long)i, "có dữ liệu nhưng cột không có tiêu đề");
  json_t *rec = json_object();
  char *t = NULL, ex[80], f[64];
  kc_err e = KC_OK;
  bool have_amount = false, hours = false;
  double amount = 0;
  for (int c = 0; c < C__COUNT; c++) {
    int pos = m->pos_of[c];
    if (pos < 0)
      continue;
    free(t);
    t = NULL;
    e = cell_text(m, row, pos, &t);
    if (e)
      goto out;
    const char *key = cols[c].key;
    double v;
    switch (c) {
    case C_NAME:
      if (!*t) {
        e = row_fail(m, row->record, row->line, pos, "thiếu tên thủ tục");
        goto out;
      }
      json_object_set_new(rec, key, json_string(t));
      break;
    case C_CODE:
    case C_UNIT: json_object_set_new(rec, key, *t ? json_string(t) : json_null()); break;
    case C_PROCESSING:
      if (*t && !parse_number(t, &amount)) {
        e = row_fail(m, row->record, row->line, pos, "«%s» không phải là số", excerpt(t, ex));
        goto out;
      }
      have_amount = *t != 0;
      break;
    case C_DAY_KIND: {
      static const char *const working[] = {"", "working", "lam viec", "ngay lam viec", NULL};
      static const char *const calendar[] = {"calendar", "lich", "ngay lich", NULL};
      static const char *const hourly[] = {"hours", "hour", "gio", NULL};
      folded(t, f, sizeof f);
      const char *kind = one_of(f, working)    ? "working"
                         : one_of(f, calendar) ? "calendar"
                         : one_of(f, hourly)   ? "hours"
                                               : NULL;
      if (!kind) {
        e = row_fail(m, row->record, row->line, pos,
                     "«%s» không phải loại ngày (working, calendar hoặc hours)", excerpt(t, ex));
        goto out;
      }
      hours = !strcmp(kind, "hours");
      json_object_set_new(rec, key, json_string(kind));
      break;
    }
    case C_CUTOFF:
      if (!*t) {
        json_object_set_new(rec, key, json_null());
        break;
      }
      if (!parse_number(t, &v) || v > 24) {
        e = row_fail(m, row->record, row->line, pos, "«%s» không phải giờ (số từ 0 đến 24)",
                     excerpt(t, ex));
        goto out;
      }
      json_object_set_new(rec, key, number_json(v));
      break;
    case C_COMPONENTS:
    case C_STEPS: {
      json_t *list = NULL;
      e = parse_list(m, row, pos, t, c == C_STEPS, &list);
      if (e)
        goto out;
      json_object_set_new(rec, key, list);
      break;
    }
    case C_PUBLISHED: {
      static const char *const yes[] = {"co", "true", "1", "x", NULL};
      static const char *const no[] = {"", "khong", "false", "0", NULL};
      folded(t, f, sizeof f);
      if (!one_of(f, yes) && !one_of(f, no)) {
        e = row_fail(m, row->record, row->line, pos, "«%s» phải là «có» hoặc «không»",
                     excerpt(t, ex));
        goto out;
      }
      json_object_set_new(rec, key, json_boolean(one_of(f, yes)));
      break;
    }
    default: json_object_set_new(rec, key, json_string(t));
    }
  }
  if (m->pos_of[C_PROCESSING] >= 0)
    json_object_set_new(rec, hours ? "processing_hours" : "processing_days",
                        have_amount ? number_json(amount) : json_null());
  json_array_append(m->arr, rec);
out:
  free(t);
  json_decref(rec);
  return e;
}

static kc_err on_row(void *user, const kc_csv_row *row)
{
  importer *m = user;
  bool empty = true;
  for (size_t i = 0; i < row->nfields && empty; i++)
    empty = blank(row->fields[i]);
  if (empty)
    return KC_OK;
  return m->have_header ? read_record(m, row) : read_header(m, row);
}

kc_err kc_procedures_from_csv(const char *text, size_t len, json_t **arr, char *err, size_t cap)
{
  importer m = {.arr = json_array(), .err = err, .cap = cap};
  for (int c = 0; c < C__COUNT; c++)
    m.pos_of[c] = -1;
  if (cap)
    err[0] = 0;
  kc_csv_error ce;
  kc_err e = kc_csv_parse(text, len, 0, on_row, &m, &ce);
  if ((e == KC_EFIELD || e == KC_ETOOLARGE) && cap && !err[0])
    row_fail(&m, ce.record ? ce.record : 1, ce.line, -1, "%s", ce.msg);
  if (!e && !m.have_header)
    e = row_fail(&m, 1, 0, -1, "tệp trống, thiếu dòng tiêu đề");
  for (size_t i = 0; i < m.ncols; i++)
    free(m.title_at[i]);
  if (e) {
    json_decref(m.arr);
    *arr = NULL;
    return e;
  }
  *arr = m.arr;
  return KC_OK;
}
