/* Official schedule list and its line-format parser (see schedule.h). The parser works on a
 * copy of the list sizes and rolls back on error, so a bad file never half-applies. */
#include "calendar/schedule.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n);
  if (!q) {
    fputs("kc_calendar: out of memory\n", stderr);
    abort();
  }
  return q;
}

#define GROW(arr, n, cap)                                                                          \
  do {                                                                                             \
    if ((n) == (cap)) {                                                                            \
      (cap) = (cap) ? (cap)*2 : 16;                                                                \
      (arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                                             \
    }                                                                                              \
  } while (0)

void kc_cal_schedule_init(kc_cal_schedule *s)
{
  memset(s, 0, sizeof(*s));
}

void kc_cal_schedule_free(kc_cal_schedule *s)
{
  if (!s)
    return;
  free(s->entries);
  free(s->sources);
  free(s->years);
  kc_cal_schedule_init(s);
}

const kc_cal_entry *kc_cal_schedule_find(const kc_cal_schedule *s, kc_cal_day day)
{
  for (size_t i = 0; i < s->n_entries; i++)
    if (s->entries[i].day == day)
      return &s->entries[i];
  return NULL;
}

kc_cal_err kc_cal_schedule_add_entry(kc_cal_schedule *s, const kc_cal_entry *e)
{
  if (!kc_cal_in_range(e->day))
    return KC_CAL_ERANGE;
  if (e->kind == KC_CAL_ENTRY_WORKDAY && kc_cal_weekday(e->day) < 6)
    return KC_CAL_EINVAL;
  if (e->kind != KC_CAL_ENTRY_WORKDAY && e->kind != KC_CAL_ENTRY_OFF)
    return KC_CAL_EINVAL;
  if (kc_cal_schedule_find(s, e->day))
    return KC_CAL_EDUP;
  GROW(s->entries, s->n_entries, s->cap_entries);
  s->entries[s->n_entries] = *e;
  /* Callers may hand in unterminated buffers; the copy is always a C string. */
  s->entries[s->n_entries].name[KC_CAL_NAME_MAX - 1] = '\0';
  s->entries[s->n_entries].source[KC_CAL_SOURCE_MAX - 1] = '\0';
  s->n_entries++;
  return KC_CAL_OK;
}

static const kc_cal_source *find_source(const kc_cal_schedule *s, const char *id)
{
  for (size_t i = 0; i < s->n_sources; i++)
    if (strcmp(s->sources[i].id, id) == 0)
      return &s->sources[i];
  return NULL;
}

kc_cal_err kc_cal_schedule_add_source(kc_cal_schedule *s, const char *id, const char *text)
{
  size_t n = strlen(id);
  if (n == 0 || n >= KC_CAL_SOURCE_MAX)
    return KC_CAL_EINVAL;
  if (find_source(s, id))
    return KC_CAL_EDUP;
  GROW(s->sources, s->n_sources, s->cap_sources);
  kc_cal_source *src = &s->sources[s->n_sources++];
  snprintf(src->id, sizeof(src->id), "%s", id);
  snprintf(src->text, sizeof(src->text), "%s", text ? text : "");
  return KC_CAL_OK;
}

kc_cal_err kc_cal_schedule_declare_year(kc_cal_schedule *s, int year, const char *source)
{
  if (year < KC_CAL_MIN_YEAR || year > KC_CAL_MAX_YEAR)
    return KC_CAL_ERANGE;
  for (size_t i = 0; i < s->n_years; i++)
    if (s->years[i].year == year)
      return KC_CAL_EDUP;
  GROW(s->years, s->n_years, s->cap_years);
  kc_cal_year *y = &s->years[s->n_years++];
  y->year = year;
  snprintf(y->source, sizeof(y->source), "%s", source ? source : "");
  return KC_CAL_OK;
}

/* ---- parser ---- */

typedef struct {
  const char *p;
  size_t n;
} span;

typedef struct {
  char *err;
  size_t errlen;
  const char *origin;
  size_t line;
} perr;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static kc_cal_err
fail(perr *pe, kc_cal_err code, const char *fmt, ...)
{
  if (pe->err && pe->errlen) {
    int k = snprintf(pe->err, pe->errlen, "%s%sdòng %zu: ", pe->origin ? pe->origin : "",
                     pe->origin ? ": " : "", pe->line);
    if (k >= 0 && (size_t)k < pe->errlen) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(pe->err + k, pe->errlen - (size_t)k, fmt, ap);
      va_end(ap);
    }
  }
  return code;
}

static bool span_eq(span s, const char *lit)
{
  return strlen(lit) == s.n && memcmp(s.p, lit, s.n) == 0;
}

/* Splits a line at TABs into at most `max` fields; returns the count (max + 1 if too many). */
static size_t split(span line, span *f, size_t max)
{
  size_t k = 0;
  size_t start = 0;
  for (size_t i = 0; i <= line.n; i++) {
    if (i == line.n || line.p[i] == '\t') {
      if (k == max)
        return max + 1;
      f[k].p = line.p + start;
      f[k].n = i - start;
      k++;
      start = i + 1;
    }
  }
  return k;
}

static bool valid_utf8(span s)
{
  const unsigned char *p = (const unsigned char *)s.p;
  size_t i = 0;
  while (i < s.n) {
    unsigned c = p[i];
    size_t extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
    if (extra == 9 || (c < 0x20 && c != '\t') || i + extra >= s.n + (extra ? 0 : 1))
      return false;
    if (extra && c < 0xc2)
      return false; /* overlong 2-byte form */
    for (size_t j = 1; j <= extra; j++)
      if ((p[i + j] & 0xc0) != 0x80)
        return false;
    i += extra + 1;
  }
  return true;
}

static void copy_field(char *dst, size_t cap, span s)
{
  size_t n = s.n < cap - 1 ? s.n : cap - 1;
  /* Do not cut a UTF-8 sequence in half when truncating. */
  while (n > 0 && n < s.n && ((unsigned char)s.p[n] & 0xc0) == 0x80)
    n--;
  memcpy(dst, s.p, n);
  dst[n] = '\0';
}

static kc_cal_err parse_line(span line, kc_cal_schedule *s, perr *pe)
{
  span f[5];
  size_t nf = split(line, f, 4);
  if (!valid_utf8(line))
    return fail(pe, KC_CAL_ESYNTAX, "văn bản không phải UTF-8 hợp lệ hoặc có ký tự điều khiển");

  if (span_eq(f[0], "source")) {
    if (nf != 3 || f[1].n == 0 || f[2].n == 0)
      return fail(pe, KC_CAL_ESYNTAX, "dòng 'source' cần đúng 3 trường: source<TAB>mã<TAB>mô tả");
    if (f[1].n >= KC_CAL_SOURCE_MAX)
      return fail(pe, KC_CAL_EINVAL, "mã nguồn dài quá %d byte", KC_CAL_SOURCE_MAX - 1);
    char id[KC_CAL_SOURCE_MAX], text[KC_CAL_SOURCE_TEXT_MAX];
    copy_field(id, sizeof(id), f[1]);
    copy_field(text, sizeof(text), f[2]);
    /* The same source may be declared again by another year's file if its text is identical
     * (e.g. the Labour Code); a different text under the same id is an error. */
    const kc_cal_source *old = find_source(s, id);
    if (old && strcmp(old->text, text) == 0)
      return KC_CAL_OK;
    kc_cal_err e = kc_cal_schedule_add_source(s, id, text);
    if (e == KC_CAL_EDUP)
      return fail(pe, e, "mã nguồn '%s' đã được khai báo với nội dung khác", id);
    return e;
  }

  if (span_eq(f[0], "year")) {
    if (nf != 3)
      return fail(pe, KC_CAL_ESYNTAX, "dòng 'year' cần đúng 3 trường: year<TAB>YYYY<TAB>mã nguồn");
    int y = 0;
    bool ok = f[1].n == 4;
    for (size_t i = 0; ok && i < 4; i++) {
      ok = f[1].p[i] >= '0' && f[1].p[i] <= '9';
      y = y * 10 + (f[1].p[i] - '0');
    }
    if (!ok)
      return fail(pe, KC_CAL_ESYNTAX, "năm không hợp lệ '%.*s'", (int)f[1].n, f[1].p);
    char src[KC_CAL_SOURCE_MAX];
    copy_field(src, sizeof(src), f[2]);
    if (!find_source(s, src))
      return fail(pe, KC_CAL_EINVAL, "mã nguồn '%s' chưa được khai báo bằng dòng 'source'", src);
    kc_cal_err e = kc_cal_schedule_declare_year(s, y, src);
    if (e == KC_CAL_ERANGE)
      return fail(pe, e, "năm %d nằm ngoài phạm vi %d..%d", y, KC_CAL_MIN_YEAR, KC_CAL_MAX_YEAR);
    if (e == KC_CAL_EDUP)
      return fail(pe, e, "năm %d đã được khai báo", y);
    return e;
  }

  /* A dated entry. */
  if (nf != 4)
    return fail(pe, KC_CAL_ESYNTAX,
                "cần đúng 4 trường cách nhau bằng TAB: YYYY-MM-DD<TAB>off|workday<TAB>tên<TAB>mã "
                "nguồn (có %zu)",
                nf > 4 ? (size_t)5 : nf);
  kc_cal_entry e;
  memset(&e, 0, sizeof(e));
  kc_cal_err pe_code = kc_cal_parse_date(f[0].p, f[0].n, &e.day);
  if (pe_code == KC_CAL_ESYNTAX)
    return fail(pe, pe_code, "ngày không hợp lệ '%.*s' (cần YYYY-MM-DD)",
                (int)(f[0].n > 40 ? 40 : f[0].n), f[0].p);
  if (pe_code == KC_CAL_ERANGE)
    return fail(pe, pe_code, "ngày '%.*s' nằm ngoài phạm vi 1900-01-01..2199-12-31", (int)f[0].n,
                f[0].p);
  if (span_eq(f[1], "off"))
    e.kind = KC_CAL_ENTRY_OFF;
  else if (span_eq(f[1], "workday"))
    e.kind = KC_CAL_ENTRY_WORKDAY;
  else
    return fail(pe, KC_CAL_ESYNTAX, "loại ngày '%.*s' không hợp lệ (cần 'off' hoặc 'workday')",
                (int)(f[1].n > 40 ? 40 : f[1].n), f[1].p);
  if (f[2].n == 0)
    return fail(pe, KC_CAL_ESYNTAX, "thiếu tên ngày");
  if (f[2].n >= KC_CAL_NAME_MAX)
    return fail(pe, KC_CAL_EINVAL, "tên ngày dài quá %d byte", KC_CAL_NAME_MAX - 1);
  copy_field(e.name, sizeof(e.name), f[2]);
  copy_field(e.source, sizeof(e.source), f[3]);
  if (f[3].n >= KC_CAL_SOURCE_MAX || !find_source(s, e.source))
    return fail(pe, KC_CAL_EINVAL, "mã nguồn '%.*s' chưa được khai báo bằng dòng 'source'",
                (int)(f[3].n > 60 ? 60 : f[3].n), f[3].p);
  kc_cal_err code = kc_cal_schedule_add_entry(s, &e);
  char buf[KC_CAL_DATE_LEN + 1];
  if (code == KC_CAL_EINVAL)
    return fail(pe, code, "ngày làm bù %s không phải thứ Bảy hoặc Chủ nhật",
                kc_cal_format_date(e.day, buf));
  if (code == KC_CAL_EDUP)
    return fail(pe, code, "ngày %s đã có trong lịch chính thức", kc_cal_format_date(e.day, buf));
  return code;
}

kc_cal_err kc_cal_schedule_parse(const char *text, size_t len, const char *origin,
                                 kc_cal_schedule *s, char *err, size_t errlen)
{
  size_t n_entries = s->n_entries, n_sources = s->n_sources, n_years = s->n_years;
  perr pe = {err, errlen, origin, 0};
  if (err && errlen)
    err[0] = '\0';
  size_t i = 0;
  /* Skip a UTF-8 byte-order mark some editors add. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  kc_cal_err rc = KC_CAL_OK;
  while (i < len) {
    size_t j = i;
    while (j < len && text[j] != '\n')
      j++;
    span line = {text + i, j - i};
    if (line.n && line.p[line.n - 1] == '\r')
      line.n--;
    pe.line++;
    i = j + 1;
    if (line.n == 0 || line.p[0] == '#')
      continue;
    if (memchr(line.p, '\0', line.n)) {
      rc = fail(&pe, KC_CAL_ESYNTAX, "có byte NUL trong dòng");
      break;
    }
    rc = parse_line(line, s, &pe);
    if (rc != KC_CAL_OK)
      break;
  }
  if (rc != KC_CAL_OK) {
    s->n_entries = n_entries;
    s->n_sources = n_sources;
    s->n_years = n_years;
  }
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

kc_cal_err kc_cal_schedule_load_dir(const char *dir, kc_cal_schedule *s, char *err, size_t errlen)
{
  size_t n_entries = s->n_entries, n_sources = s->n_sources, n_years = s->n_years;
  kc_cal_err rc = KC_CAL_OK;
  char **names = NULL;
  size_t n = 0, cap = 0;
  char *buf = NULL;
  FILE *f = NULL;
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(err, errlen, "không mở được thư mục lịch '%s': %s", dir, strerror(errno));
    return KC_CAL_EIO;
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l > 4 && strcmp(de->d_name + l - 4, ".tsv") == 0) {
      GROW(names, n, cap);
      names[n] = xrealloc(NULL, l + 1);
      memcpy(names[n], de->d_name, l + 1);
      n++;
    }
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof(*names), cmp_str);

  for (size_t i = 0; i < n && rc == KC_CAL_OK; i++) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    f = fopen(path, "rb");
    if (!f) {
      snprintf(err, errlen, "không mở được tệp '%s': %s", path, strerror(errno));
      rc = KC_CAL_EIO;
      goto out;
    }
    /* Schedules are a few KB; cap at 1 MiB so a wrong path cannot eat memory. */
    size_t size = 0, bcap = 0;
    for (;;) {
      if (size == bcap) {
        if (bcap >= (1u << 20)) {
          snprintf(err, errlen, "tệp '%s' quá lớn (hơn 1 MiB)", path);
          rc = KC_CAL_EIO;
          goto out;
        }
        bcap = bcap ? bcap * 2 : 8192;
        buf = xrealloc(buf, bcap);
      }
      size_t got = fread(buf + size, 1, bcap - size, f);
      size += got;
      if (got == 0)
        break;
    }
    if (ferror(f)) {
      snprintf(err, errlen, "lỗi đọc tệp '%s'", path);
      rc = KC_CAL_EIO;
      goto out;
    }
    fclose(f);
    f = NULL;
    rc = kc_cal_schedule_parse(buf, size, names[i], s, err, errlen);
  }
out:
  if (f)
    fclose(f);
  free(buf);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if (rc != KC_CAL_OK) {
    s->n_entries = n_entries;
    s->n_sources = n_sources;
    s->n_years = n_years;
  }
  return rc;
}
