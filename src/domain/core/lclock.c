/* lclock.c: legal clocks (see lclock.h, docs/internals/lclock.md). */
#include "domain/core/lclock.h"
#include <assert.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const unit_names[KC_LC_UNIT__COUNT] = {"working_days", "calendar_days", "months",
                                                          "years", "working_hours"};
static const char *const start_names[] = {"day_after", "same_day"};

const char *kc_lc_unit_name(kc_lc_unit u)
{
  assert(u >= 0 && u < KC_LC_UNIT__COUNT);
  return unit_names[u];
}

int kc_lc_unit_parse(const char *s)
{
  for (int i = 0; s && i < KC_LC_UNIT__COUNT; i++)
    if (!strcmp(s, unit_names[i]))
      return i;
  return -1;
}

const char *kc_lc_start_name(kc_lc_start s)
{
  assert(s == KC_LC_DAY_AFTER || s == KC_LC_SAME_DAY);
  return start_names[s];
}

int kc_lc_start_parse(const char *s)
{
  for (int i = 0; s && i < 2; i++)
    if (!strcmp(s, start_names[i]))
      return i;
  return -1;
}

/* ---- rule sets ----------------------------------------------------------------------- */

struct kc_lc_rules {
  kc_lc_rule *rules;    /* sorted by code, then version; strings owned (malloc'd) */
  const char **origins; /* the file each rule came from, owned */
  size_t n, cap;
};

static char *xstrdup(const char *s)
{
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (!p)
    abort();
  memcpy(p, s, n);
  return p;
}

static char *xprintf(const char *fmt, ...) KC_PRINTF(1, 2);
static char *xprintf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  assert(n >= 0);
  char *p = malloc((size_t)n + 1);
  if (!p)
    abort();
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void kc_lc_rules_free(kc_lc_rules *rs)
{
  if (!rs)
    return;
  for (size_t i = 0; i < rs->n; i++) {
    free((char *)rs->rules[i].code);
    free((char *)rs->rules[i].source);
    free((char *)rs->origins[i]);
  }
  free(rs->rules);
  free(rs->origins);
  free(rs);
}

static kc_lc_rules *rules_new(void)
{
  kc_lc_rules *rs = calloc(1, sizeof *rs);
  if (!rs)
    abort();
  return rs;
}

static void rules_push(kc_lc_rules *rs, const kc_lc_rule *r, const char *origin)
{
  if (rs->n == rs->cap) {
    rs->cap = rs->cap ? rs->cap * 2 : 16;
    rs->rules = realloc(rs->rules, rs->cap * sizeof *rs->rules);
    rs->origins = realloc(rs->origins, rs->cap * sizeof *rs->origins);
    if (!rs->rules || !rs->origins)
      abort();
  }
  kc_lc_rule *d = &rs->rules[rs->n];
  *d = *r;
  d->code = xstrdup(r->code);
  d->source = xstrdup(r->source);
  rs->origins[rs->n] = xstrdup(origin);
  rs->n++;
}

static bool parse_day(const json_t *v, kc_cal_day *out)
{
  const char *s = json_string_value(v);
  return s && kc_cal_parse_date(s, strlen(s), out) == KC_CAL_OK;
}

/* "15:00" or 15 → minute of the day; false when malformed. */
static bool parse_cutoff(const json_t *v, int *minute)
{
  if (json_is_integer(v)) {
    json_int_t h = json_integer_value(v);
    if (h < 0 || h > 23)
      return false;
    *minute = (int)h * 60;
    return true;
  }
  const char *s = json_string_value(v);
  int h, m;
  char tail;
  if (!s || strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2)
    return false;
  if (h < 0 || h > 23 || m < 0 || m > 59)
    return false;
  *minute = h * 60 + m;
  return true;
}

static const char *const known_members[] = {
    "code",   "version",    "unit",     "count",          "start", "roll_forward", "cutoff_hour",
    "source", "valid_from", "valid_to", "office_receipt", "name",  "note",         NULL};

/* Checks one member of the file and fills *r; returns the bad member's name or NULL. */
static const char *parse_rule(const json_t *v, kc_lc_rule *r)
{
  if (!json_is_object(v))
    return "(rule)";
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)v, key, val)
  {
    bool known = false;
    for (int i = 0; known_members[i] && !known; i++)
      known = !strcmp(key, known_members[i]);
    if (!known)
      return key;
  }
  memset(r, 0, sizeof *r);
  r->code = json_string_value(json_object_get(v, "code"));
  if (!r->code || !*r->code || strlen(r->code) > 64)
    return "code";
  json_t *ver = json_object_get(v, "version");
  if (!json_is_integer(ver) || json_integer_value(ver) < 1 || json_integer_value(ver) > 1000)
    return "version";
  r->version = (int)json_integer_value(ver);
  int u = kc_lc_unit_parse(json_string_value(json_object_get(v, "unit")));
  if (u < 0)
    return "unit";
  r->unit = (kc_lc_unit)u;
  json_t *count = json_object_get(v, "count");
  if (json_is_null(count) || !count)
    r->count = 0; /* given by the record using the rule (a procedure's own limit) */
  else if (!json_is_integer(count) || json_integer_value(count) < 1 ||
           json_integer_value(count) > 100000)
    return "count";
  else
    r->count = (int)json_integer_value(count);
  int st = kc_lc_start_parse(json_string_value(json_object_get(v, "start")));
  if (st < 0)
    return "start";
  r->start = (kc_lc_start)st;
  json_t *rf = json_object_get(v, "roll_forward");
  if (!json_is_boolean(rf))
    return "roll_forward";
  r->roll_forward = json_is_true(rf);
  json_t *off = json_object_get(v, "office_receipt");
  if (off && !json_is_boolean(off))
    return "office_receipt";
  r->office_receipt = json_is_true(off);
  json_t *co = json_object_get(v, "cutoff_hour");
  r->cutoff_minute = -1;
  if (co && !json_is_null(co) && !parse_cutoff(co, &r->cutoff_minute))
    return "cutoff_hour";
  r->source = json_string_value(json_object_get(v, "source"));
  if (!r->source || !*r->source)
    return "source";
  if (!parse_day(json_object_get(v, "valid_from"), &r->valid_from))
    return "valid_from";
  json_t *to = json_object_get(v, "valid_to");
  r->valid_to = KC_LC_OPEN;
  if (to && !json_is_null(to) && (!parse_day(to, &r->valid_to) || r->valid_to < r->valid_from))
    return "valid_to";
  const json_t *name = json_object_get(v, "name"), *note = json_object_get(v, "note");
  if (name && !json_is_string(name))
    return "name";
  if (note && !json_is_string(note))
    return "note";
  return NULL;
}

/* Adds the rules of one document to rs; on error *msg names origin, rule and member. */
static kc_err add_doc(kc_lc_rules *rs, const json_t *doc, const char *origin, char **msg)
{
  const json_t *arr = json_object_get(doc, "rules");
  if (!json_is_array(arr)) {
    *msg = xprintf("%s: thiếu mảng \"rules\"", origin);
    return KC_EFIELD;
  }
  size_t i;
  const json_t *v;
  json_array_foreach(arr, i, v)
  {
    kc_lc_rule r;
    const char *bad = parse_rule(v, &r);
    if (bad) {
      const char *code = json_string_value(json_object_get(v, "code"));
      *msg = xprintf("%s: quy tắc thứ %zu (%s): trường %s không hợp lệ", origin, i + 1,
                     code ? code : "không có mã", bad);
      return KC_EFIELD;
    }
    rules_push(rs, &r, origin);
  }
  return KC_OK;
}

static int cmp_rule(const void *a, const void *b)
{
  const kc_lc_rule *x = a, *y = b;
  int c = strcmp(x->code, y->code);
  return c ? c : (x->version > y->version) - (x->version < y->version);
}

/* Sorts the rules (origins with them) and checks the versions of each code. */
static kc_err finish(kc_lc_rules *rs, char **msg)
{
  /* sort an index, then permute both arrays */
  size_t n = rs->n;
  kc_lc_rule *sorted = malloc((n ? n : 1) * sizeof *sorted);
  const char **orig = malloc((n ? n : 1) * sizeof *orig);
  if (!sorted || !orig)
    abort();
  memcpy(sorted, rs->rules, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_rule);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      if (rs->rules[j].code == sorted[i].code) {
        orig[i] = rs->origins[j];
        break;
      }
  free(rs->rules);
  free(rs->origins);
  rs->rules = sorted;
  rs->origins = orig;
  rs->cap = n;
  for (size_t i = 1; i < n; i++) {
    const kc_lc_rule *p = &rs->rules[i - 1], *r = &rs->rules[i];
    if (strcmp(p->code, r->code))
      continue;
    const char *why = NULL;
    if (r->version != p->version + 1)
      why = "các phiên bản phải đánh số liên tiếp";
    else if (p->valid_to == KC_LC_OPEN || r->valid_from <= p->valid_to)
      why = "hiệu lực chồng lên phiên bản trước (valid_to của phiên bản trước phải sớm hơn "
            "valid_from)";
    if (why) {
      *msg = xprintf("%s: quy tắc %s phiên bản %d: %s", rs->origins[i], r->code, r->version, why);
      return KC_EFIELD;
    }
  }
  return KC_OK;
}

kc_err kc_lc_rules_from_json(const json_t *doc, const char *origin, kc_lc_rules **out, char **msg)
{
  *out = NULL;
  *msg = NULL;
  kc_lc_rules *rs = rules_new();
  kc_err e = add_doc(rs, doc, origin ? origin : "(json)", msg);
  if (!e)
    e = finish(rs, msg);
  if (e) {
    kc_lc_rules_free(rs);
    return e;
  }
  *out = rs;
  return KC_OK;
}

static kc_err load_into(kc_lc_rules *rs, const char *path, char **msg)
{
  json_error_t jerr;
  json_t *doc = json_load_file(path, 0, &jerr);
  if (!doc) {
    *msg = xprintf("%s: không đọc được (dòng %d: %s)", path, jerr.line, jerr.text);
    return jerr.line > 0 ? KC_EFIELD : KC_EIO;
  }
  const char *base = strrchr(path, '/');
  kc_err e = add_doc(rs, doc, base ? base + 1 : path, msg);
  json_decref(doc);
  return e;
}

kc_err kc_lc_rules_load(const char *path, kc_lc_rules **out, char **msg)
{
  *out = NULL;
  *msg = NULL;
  kc_lc_rules *rs = rules_new();
  kc_err e = load_into(rs, path, msg);
  if (!e)
    e = finish(rs, msg);
  if (e) {
    kc_lc_rules_free(rs);
    return e;
  }
  *out = rs;
  return KC_OK;
}

const kc_lc_rule *kc_lc_rules_find(const kc_lc_rules *rs, const char *code, kc_cal_day day)
{
  for (size_t i = 0; rs && i < rs->n; i++) {
    const kc_lc_rule *r = &rs->rules[i];
    if (!strcmp(r->code, code) && r->valid_from <= day && day <= r->valid_to)
      return r;
  }
  return NULL;
}

const kc_lc_rule *kc_lc_rules_version(const kc_lc_rules *rs, const char *code, int version)
{
  for (size_t i = 0; rs && i < rs->n; i++)
    if (rs->rules[i].version == version && !strcmp(rs->rules[i].code, code))
      return &rs->rules[i];
  return NULL;
}

json_t *kc_lc_rule_json(const kc_lc_rule *r)
{
  char from[KC_CAL_DATE_LEN + 1], to[KC_CAL_DATE_LEN + 1];
  json_t *o = json_pack("{ss si ss si ss sb ss ss}", "code", r->code, "version", r->version, "unit",
                        kc_lc_unit_name(r->unit), "count", r->count, "start",
                        kc_lc_start_name(r->start), "roll_forward", r->roll_forward, "source",
                        r->source, "valid_from", kc_cal_format_date(r->valid_from, from));
  assert(o);
  json_object_set_new(o, "count", r->count ? json_integer(r->count) : json_null());
  json_object_set_new(o, "office_receipt", json_boolean(r->office_receipt));
  if (r->cutoff_minute >= 0) {
    char hm[16];
    snprintf(hm, sizeof hm, "%02d:%02d", r->cutoff_minute / 60, r->cutoff_minute % 60);
    json_object_set_new(o, "cutoff", json_string(hm));
  } else {
    json_object_set_new(o, "cutoff", json_null());
  }
  json_object_set_new(o, "valid_to",
                      r->valid_to == KC_LC_OPEN ? json_null()
                                                : json_string(kc_cal_format_date(r->valid_to, to)));
  return o;
}

json_t *kc_lc_rules_json(const kc_lc_rules *rs)
{
  json_t *items = json_array();
  for (size_t i = 0; rs && i < rs->n; i++)
    json_array_append_new(items, kc_lc_rule_json(&rs->rules[i]));
  return json_pack("{so}", "items", items);
}

json_t *kc_lc_rules_json_at(const kc_lc_rules *rs, kc_cal_day day)
{
  json_t *items = json_array();
  for (size_t i = 0; rs && i < rs->n; i++) {
    const kc_lc_rule *r = &rs->rules[i];
    if (r->valid_from <= day && day <= r->valid_to)
      json_array_append_new(items, kc_lc_rule_json(r));
  }
  return json_pack("{so}", "items", items);
}

static kc_lc_rules *global_rules;
static unsigned global_serial = 1;

kc_err kc_lc_list(kc_ctx *ctx, const char *at, json_t **items)
{
  kc_cal_day day = 0;
  if (at && kc_cal_parse_date(at, strlen(at), &day) != KC_CAL_OK)
    return kc_ctx_fail(ctx, KC_EFIELD, "at",
                       "Ngày '%s' không hợp lệ (cần dạng YYYY-MM-DD, từ năm 1900 đến 2199)", at);
  if (!global_rules)
    return kc_ctx_fail(ctx, KC_EINTERNAL, NULL,
                       "Chưa nạp các quy tắc thời hạn (thư mục clocks trong data_dir)");
  json_t *doc = at ? kc_lc_rules_json_at(global_rules, day) : kc_lc_rules_json(global_rules);
  *items = json_incref(json_object_get(doc, "items"));
  json_decref(doc);
  return KC_OK;
}

static int name_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

kc_err kc_lc_rules_global_init(const char *data_dir, char **msg)
{
  *msg = NULL;
  char *dir = xprintf("%s/clocks", data_dir ? data_dir : "data");
  DIR *d = opendir(dir);
  if (!d) {
    *msg = xprintf("%s: không mở được thư mục quy tắc thời hạn", dir);
    free(dir);
    return KC_EIO;
  }
  char **names = NULL;
  size_t nn = 0;
  struct dirent *ent = readdir(d);
  while (ent) {
    size_t len = strlen(ent->d_name);
    if (len > 5 && !strcmp(ent->d_name + len - 5, ".json") && ent->d_name[0] != '.') {
      names = realloc(names, (nn + 1) * sizeof *names);
      if (!names)
        abort();
      names[nn++] = xstrdup(ent->d_name);
    }
    ent = readdir(d);
  }
  closedir(d);
  qsort(names, nn, sizeof *names, name_cmp);
  kc_lc_rules *rs = rules_new();
  kc_err e = KC_OK;
  for (size_t i = 0; i < nn; i++) {
    if (!e) {
      char *path = xprintf("%s/%s", dir, names[i]);
      e = load_into(rs, path, msg);
      free(path);
    }
    free(names[i]);
  }
  free(names);
  free(dir);
  if (!e)
    e = finish(rs, msg);
  if (e) {
    kc_lc_rules_free(rs);
    return e;
  }
  kc_lc_rules_free(global_rules);
  global_rules = rs;
  global_serial++;
  return KC_OK;
}

const kc_lc_rules *kc_lc_rules_global(void)
{
  return global_rules;
}

unsigned kc_lc_rules_global_serial(void)
{
  return global_serial;
}

void kc_lc_rules_global_free(void)
{
  kc_lc_rules_free(global_rules);
  global_rules = NULL;
  global_serial++;
}

/* ---- deadlines ----------------------------------------------------------------------- */

static kc_err cal_err(kc_cal_err ce)
{
  return ce == KC_CAL_OK ? KC_OK : KC_EFIELD;
}

/* Office minutes in [a, b) (b > a), on the calendar's working days. */
static kc_err work_minutes_between(const kc_cal_calendar *cal, const kc_cal_hours *h, int64_t a,
                                   int64_t b, int64_t *out)
{
  int64_t total = 0;
  kc_cal_day first = kc_cal_day_of_instant(a), last = kc_cal_day_of_instant(b);
  if (!kc_cal_in_range(first) || !kc_cal_in_range(last))
    return KC_EFIELD;
  for (kc_cal_day d = first; d <= last; d++) {
    if (!kc_cal_is_workday(cal, d))
      continue;
    const int s[2][2] = {{h->am_start, h->am_end}, {h->pm_start, h->pm_end}};
    for (int k = 0; k < 2; k++) {
      int64_t lo = kc_cal_instant_at(d, s[k][0]), hi = kc_cal_instant_at(d, s[k][1]);
      if (lo < a)
        lo = a;
      if (hi > b)
        hi = b;
      if (hi > lo)
        total += hi - lo;
    }
  }
  *out = total / 60;
  return KC_OK;
}

/* The day `n` months after d, on the corresponding day of the month or, when that month has
 * none, its last day (Civil Code Art 148(3)). */
static kc_cal_day add_months(kc_cal_day d, int64_t n)
{
  int y, m, dd;
  kc_cal_to_ymd(d, &y, &m, &dd);
  int64_t mi = (int64_t)y * 12 + (m - 1) + n;
  int ny = (int)(mi / 12), nm = (int)(mi % 12) + 1;
  int dim = kc_cal_days_in_month(ny, nm);
  return kc_cal_from_ymd(ny, nm, dd > dim ? dim : dd);
}

kc_err kc_lc_due(const kc_cal_calendar *cal, const kc_lc_clock *c, kc_lc_deadline *out)
{
  assert(cal && c && c->rule && out);
  const kc_lc_rule *r = c->rule;
  if (r->count < 0)
    return KC_EFIELD;
  int64_t ext = 0;
  for (size_t i = 0; i < c->nextensions; i++) {
    if (c->extensions[i] < 0)
      return KC_EFIELD;
    ext += c->extensions[i];
  }
  int64_t n = (int64_t)r->count + ext;
  if (n > 1000000)
    return KC_EFIELD;
  kc_cal_hours h = kc_cal_hours_default();
  /* pauses: in order, after the start, at most the last one open */
  int64_t paused = 0, prev = c->started_at;
  for (size_t i = 0; i < c->npauses; i++) {
    const kc_lc_pause *p = &c->pauses[i];
    if (p->from < prev || (p->to && p->to < p->from) || (!p->to && i + 1 != c->npauses))
      return KC_EFIELD;
    if (!p->to)
      break;
    prev = p->to;
    kc_cal_day a = kc_cal_day_of_instant(p->from), b = kc_cal_day_of_instant(p->to);
    if (!kc_cal_in_range(a) || !kc_cal_in_range(b))
      return KC_EFIELD;
    if (r->unit == KC_LC_WORKING_HOURS) {
      int64_t m;
      kc_err e = work_minutes_between(cal, &h, p->from, p->to, &m);
      if (e)
        return e;
      paused += m; /* minutes, turned into hours for the record below */
    } else if (r->unit == KC_LC_WORKING_DAYS) {
      int32_t w;
      kc_cal_err ce = kc_cal_count_workdays(cal, a, b, &w);
      if (ce)
        return cal_err(ce);
      paused += w;
    } else {
      paused += b - a;
    }
  }
  kc_lc_deadline d = {.rule_code = r->code, .rule_version = r->version, .extended_units = (int)ext};
  kc_cal_err ce;
  if (r->unit == KC_LC_WORKING_HOURS) {
    ce = kc_cal_add_work_minutes(cal, &h, c->started_at, n * 60 + paused, &d.due_at);
    if (ce)
      return cal_err(ce);
    d.due_day = kc_cal_day_of_instant(d.due_at);
    d.paused_units = (int)((paused + 59) / 60);
    *out = d;
    return KC_OK;
  }
  d.paused_units = (int)paused;
  kc_cal_day ev = kc_cal_day_of_instant(c->started_at), due;
  if (!kc_cal_in_range(ev))
    return KC_EFIELD;
  if (r->office_receipt || r->cutoff_minute >= 0) {
    ce = kc_cal_count_start(cal, c->started_at, r->cutoff_minute, &ev);
    if (ce)
      return cal_err(ce);
  }
  /* same_day counts the event's day as the first one: the period ends one unit earlier */
  bool same = r->start == KC_LC_SAME_DAY && n > 0;
  switch (r->unit) {
  case KC_LC_WORKING_DAYS: {
    int64_t k = n + paused;
    if (same && kc_cal_is_workday(cal, ev))
      k--;
    if (k > 200000)
      return KC_EFIELD;
    ce = kc_cal_add_workdays(cal, ev, (int)k, &due);
    if (ce)
      return cal_err(ce);
    break;
  }
  case KC_LC_CALENDAR_DAYS:
  case KC_LC_MONTHS:
  case KC_LC_YEARS: {
    int64_t base;
    if (r->unit == KC_LC_CALENDAR_DAYS)
      base = (int64_t)ev + n - (same ? 1 : 0);
    else if (n > 12 * 400)
      return KC_EFIELD;
    else
      base = add_months(ev, r->unit == KC_LC_MONTHS ? n : n * 12) - (same ? 1 : 0);
    base += paused;
    if (base < kc_cal_first_day() || base > kc_cal_last_day())
      return KC_EFIELD;
    due = (kc_cal_day)base;
    if (r->roll_forward) {
      ce = kc_cal_add_workdays(cal, due, 0, &due);
      if (ce)
        return cal_err(ce);
    }
    break;
  }
  default: assert(!"unit"); return KC_EINTERNAL;
  }
  d.due_day = due;
  d.due_at = kc_cal_instant_at(due, h.pm_end);
  *out = d;
  return KC_OK;
}

kc_cal_day kc_lc_soon_until(const kc_cal_calendar *cal, kc_cal_day today, int soon_days)
{
  /* The (n+1)-th working day after today is the first date with n + 1 working days left;
   * the day before it is the last with n. Outside the calendar's years: today only. */
  kc_cal_day next, last = today;
  if (soon_days >= 0 && kc_cal_add_workdays(cal, today, soon_days + 1, &next) == KC_CAL_OK)
    last = next - 1;
  return last;
}

kc_lc_state kc_lc_state_at(const kc_cal_calendar *cal, const kc_lc_rule *r, const kc_lc_deadline *d,
                           int64_t at, int soon_days)
{
  kc_lc_state st = {0};
  kc_cal_day today = kc_cal_day_of_instant(at);
  int32_t wd = 0;
  if (kc_cal_count_workdays(cal, today, d->due_day, &wd))
    wd = 0;
  if (r->unit == KC_LC_WORKING_HOURS) {
    int64_t s = d->due_at - at;
    st.left = s <= 0 ? 0 : (int)((s + 3599) / 3600);
    st.overdue = at > d->due_at;
  } else {
    if (r->unit == KC_LC_WORKING_DAYS)
      st.left = wd > 0 ? wd : 0;
    else
      st.left = d->due_day > today ? d->due_day - today : 0;
    st.overdue = today > d->due_day;
  }
  st.due_soon = !st.overdue && d->due_day <= kc_lc_soon_until(cal, today, soon_days);
  return st;
}

const char *kc_lc_result(const kc_lc_rule *r, const kc_lc_deadline *d, int64_t at)
{
  kc_cal_day day = kc_cal_day_of_instant(at);
  if (day < d->due_day)
    return "early";
  if (r->unit == KC_LC_WORKING_HOURS)
    return at <= d->due_at ? "on_time" : "late";
  return day == d->due_day ? "on_time" : "late";
}

json_t *kc_lc_deadline_json(const kc_lc_deadline *d, const kc_lc_rule *r)
{
  char day[KC_CAL_DATE_LEN + 1];
  return json_pack("{ss sI s{ss si ss} si si}", "due_date", kc_cal_format_date(d->due_day, day),
                   "due_at", (json_int_t)d->due_at, "rule", "code", d->rule_code, "version",
                   d->rule_version, "source", r ? r->source : "", "paused_units", d->paused_units,
                   "extended_units", d->extended_units);
}

/* ---- dependants of the calendar ------------------------------------------------------ */

#define MAX_DEPENDANTS 32

static struct {
  const char *name;
  kc_lc_recompute_fn fn;
} dependants[MAX_DEPENDANTS];
static int ndependants;

void kc_lc_dependant_register(const char *name, kc_lc_recompute_fn fn)
{
  assert(name && fn);
  for (int i = 0; i < ndependants; i++)
    if (!strcmp(dependants[i].name, name))
      return;
  assert(ndependants < MAX_DEPENDANTS);
  if (ndependants == MAX_DEPENDANTS)
    abort();
  dependants[ndependants].name = name;
  dependants[ndependants].fn = fn;
  ndependants++;
}

int kc_lc_dependant_count(void)
{
  return ndependants;
}

kc_err kc_lc_recompute_all(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed)
{
  *changed = 0;
  for (int i = 0; i < ndependants; i++) {
    int c = 0;
    kc_err e = dependants[i].fn(ctx, cal, &c);
    if (e)
      return e;
    *changed += c;
  }
  return KC_OK;
}
