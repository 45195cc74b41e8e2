/* fields.c: reading a JSON body into a typed input struct by its field table (fields.h). */
#include "http/fields.h"
#include "base/clock.h"
#include "base/utf8.h"
#include "base/vntext.h"
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Refuses member f with its own message if it declares one, else the generic `msg`. */
static bool bad(kc_req *r, const kc_field *f, const char *msg)
{
  kc_req_fail_msg(r, KC_EFIELD, f->name, f->msg ? f->msg : msg);
  return false;
}

/* The member a field names: "a.b" is member b of the object a (absent when a is not one). */
static json_t *member(json_t *body, const char *name)
{
  const char *dot = strchr(name, '.');
  if (!dot)
    return json_object_get(body, name);
  char head[64];
  size_t n = (size_t)(dot - name);
  assert(n < sizeof head);
  memcpy(head, name, n);
  head[n] = 0;
  return member(json_object_get(body, head), dot + 1);
}

static size_t code_points(const char *s, size_t n)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += ((unsigned char)s[i] & 0xC0) != 0x80;
  return k;
}

/* The allowed values of an enum, for its message: "a, b, c". */
static const char *enum_list(kc_arena *ar, const char *const *values)
{
  size_t len = 1;
  for (const char *const *v = values; *v; v++)
    len += strlen(*v) + 2;
  char *s = kc_arena_alloc(ar, len), *w = s;
  *w = 0;
  for (const char *const *v = values; *v; v++) {
    size_t k = strlen(*v);
    if (v != values) {
      memcpy(w, ", ", 2);
      w += 2;
    }
    memcpy(w, *v, k);
    w += k;
    *w = 0;
  }
  return s;
}

/* A string member: no NUL, NFC, at most f->max characters (0: the document cap). */
static bool read_str(kc_req *r, const kc_field *f, json_t *v, const char **out)
{
  if (!json_is_string(v))
    return bad(r, f, kc_arena_printf(&r->arena, "Trường %s phải là chuỗi ký tự", f->name));
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (n > KC_BODY_MAX_DOCUMENT)
    return bad(r, f, kc_arena_printf(&r->arena, "Trường %s quá dài", f->name));
  if (memchr(s, 0, n))
    return bad(r, f, kc_arena_printf(&r->arena, "Trường %s chứa ký tự không hợp lệ", f->name));
  if (f->flags & KC_F_RAW) {
    *out = kc_arena_strndup(&r->arena, s, n);
    return true;
  }
  size_t m = 0;
  char *nfc = kc_vn_nfc(s, n, &m); /* jansson has checked the UTF-8 already */
  if (!nfc)
    return bad(r, f, kc_arena_printf(&r->arena, "Trường %s chứa ký tự không hợp lệ", f->name));
  *out = kc_arena_strndup(&r->arena, nfc, m);
  free(nfc);
  if (f->max > 0 && code_points(*out, m) > (size_t)f->max)
    return bad(r, f,
               kc_arena_printf(&r->arena, "Trường %s quá dài (tối đa %" PRId64 " ký tự)", f->name,
                               f->max));
  return true;
}

static bool read_int(kc_req *r, const kc_field *f, json_t *v, int64_t *out)
{
  int64_t lo = f->min, hi = f->max;
  if (!lo && !hi)
    hi = INT64_MAX;
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
    return bad(r, f,
               lo == 0 && hi == INT64_MAX
                   ? kc_arena_printf(&r->arena, "Trường %s phải là số nguyên không âm", f->name)
               : lo == 1 && hi == INT64_MAX
                   ? kc_arena_printf(&r->arena, "Trường %s phải là số nguyên dương", f->name)
                   : kc_arena_printf(&r->arena,
                                     "Trường %s phải là số nguyên từ %" PRId64 " đến %" PRId64,
                                     f->name, lo, hi));
  *out = json_integer_value(v);
  return true;
}

static bool read_int_array(kc_req *r, const kc_field *f, json_t *v, char *in)
{
  if (!json_is_array(v) || json_array_size(v) > (size_t)f->max)
    return bad(r, f,
               kc_arena_printf(&r->arena, "Trường %s phải là mảng tối đa %" PRId64 " số nguyên",
                               f->name, f->max));
  size_t cnt = json_array_size(v);
  /* never NULL, even for []: a present empty array clears, an absent one leaves unchanged */
  int64_t *a = kc_arena_alloc(&r->arena, (cnt ? cnt : 1) * sizeof *a);
  for (size_t i = 0; i < cnt; i++) {
    json_t *x = json_array_get(v, i);
    if (!json_is_integer(x) || json_integer_value(x) <= 0)
      return bad(r, f,
                 kc_arena_printf(&r->arena, "Trường %s phải là mảng số nguyên dương", f->name));
    a[i] = json_integer_value(x);
  }
  memcpy(in + f->off, &(const int64_t *){a}, sizeof(const int64_t *));
  memcpy(in + f->count_off, &cnt, sizeof cnt);
  return true;
}

/* An explicit null on a member that may be cleared. */
static void store_null(const kc_field *f, char *in)
{
  switch (f->type) {
  case KC_FT_STR:
  case KC_FT_DATE:
  case KC_FT_ENUM: {
    const char *empty = "";
    memcpy(in + f->off, &empty, sizeof empty);
    break;
  }
  case KC_FT_INT: memcpy(in + f->off, &f->null_int, sizeof f->null_int); break;
  case KC_FT_BOOL:
  case KC_FT_INT_ARRAY: break; /* read as absent */
  }
}

static bool read_one(kc_req *r, const kc_field *f, json_t *v, char *in)
{
  const char *s = NULL;
  int64_t i = 0;
  switch (f->type) {
  case KC_FT_STR:
    if (!read_str(r, f, v, &s))
      return false;
    break;
  case KC_FT_DATE:
    if (!read_str(r, f, v, &s))
      return false;
    /* "" clears a date that may be cleared (forms send empty inputs so) */
    if ((*s || (f->flags & KC_F_NOT_NULL)) && !kc_date_valid(s))
      return bad(r, f,
                 kc_arena_printf(&r->arena, "Trường %s phải là một ngày có thật, dạng YYYY-MM-DD",
                                 f->name));
    break;
  case KC_FT_ENUM: {
    if (!read_str(r, f, v, &s))
      return false;
    const char *const *e = f->values;
    while (*e && strcmp(*e, s))
      e++;
    if (!*e)
      return bad(r, f,
                 kc_arena_printf(&r->arena, "Trường %s phải là một trong các giá trị: %s", f->name,
                                 enum_list(&r->arena, f->values)));
    break;
  }
  case KC_FT_INT:
    if (!read_int(r, f, v, &i))
      return false;
    memcpy(in + f->off, &i, sizeof i);
    return true;
  case KC_FT_BOOL: {
    if (!json_is_boolean(v))
      return bad(r, f, kc_arena_printf(&r->arena, "Trường %s phải là true hoặc false", f->name));
    int b = json_is_true(v);
    memcpy(in + f->off, &b, sizeof b);
    return true;
  }
  case KC_FT_INT_ARRAY: return read_int_array(r, f, v, in);
  }
  memcpy(in + f->off, &s, sizeof s);
  return true;
}

bool kc_body_fields_in(kc_req *r, json_t *body, const kc_field *f, size_t n, bool create, void *in,
                       const char *prefix)
{
  assert(json_is_object(body));
  for (size_t k = 0; k < n; k++) {
    assert(f[k].type != KC_FT_ENUM || f[k].values);
    assert(f[k].type != KC_FT_INT_ARRAY || f[k].max > 0);
    json_t *v = member(body, f[k].name);
    /* from here on, the member as the answer names it */
    kc_field named = f[k];
    if (prefix)
      named.name = kc_arena_printf(&r->arena, "%s%s", prefix, f[k].name);
    const kc_field *x = &named;
    bool required = x->flags & (create ? KC_F_REQ_CREATE : KC_F_REQ_UPDATE);
    if (json_is_null(v) && (x->flags & KC_F_NOT_NULL))
      return bad(r, x, kc_arena_printf(&r->arena, "Trường %s không được để trống (null)", x->name));
    if (json_is_null(v) && (x->flags & KC_F_NULL_ABSENT))
      v = NULL;
    if (!v || json_is_null(v)) {
      if (required)
        return bad(r, x, kc_arena_printf(&r->arena, "Thiếu trường %s", x->name));
      if (v)
        store_null(x, in);
      continue;
    }
    if (!read_one(r, x, v, in))
      return false;
  }
  return true;
}

bool kc_body_fields(kc_req *r, json_t *body, const kc_field *f, size_t n, bool create, void *in)
{
  return kc_body_fields_in(r, body, f, n, create, in, NULL);
}

bool kc_req_fields(kc_req *r, const kc_field *f, size_t n, bool create, void *in)
{
  json_t *b;
  if (!kc_body_object(r, &b))
    return false;
  bool ok = kc_body_fields(r, b, f, n, create, in);
  json_decref(b);
  return ok;
}

bool kc_req_fields_opt(kc_req *r, const kc_field *f, size_t n, bool create, void *in)
{
  if (r->body_len)
    return kc_req_fields(r, f, n, create, in);
  json_t *b = json_object();
  bool ok = kc_body_fields(r, b, f, n, create, in);
  json_decref(b);
  return ok;
}
