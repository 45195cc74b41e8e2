/* h_calendar.c: /api/v1/calendar: days, working-day arithmetic, the official schedule. */
#include "domain/core/workcal.h"
#include "http/handlers.h"

static void answer(kc_req *r, kc_err e, int status, json_t *out)
{
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, status, out);
}

static bool two_dates(kc_req *r, const char *a, const char *b, const char **va, const char **vb)
{
  bool bad = false;
  *va = kc_req_query(r, a, &bad);
  if (!bad)
    *vb = kc_req_query(r, b, &bad);
  return !bad;
}

void kc_h_calendar_days(kc_req *r)
{
  const char *from, *to;
  json_t *items = NULL;
  if (!two_dates(r, "from", "to", &from, &to))
    return;
  kc_err e = kc_workcal_days(&r->ctx, r->workcal, from, to, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

void kc_h_calendar_add(kc_req *r)
{
  bool bad = false;
  int64_t n;
  const char *date = kc_req_query(r, "date", &bad);
  if (bad || !kc_req_query_int(r, "n", -100000, 100000, INT64_MIN, &n))
    return;
  if (n == INT64_MIN) {
    kc_req_fail_msg(r, KC_EFIELD, "n", "Thiếu tham số n (số ngày làm việc)");
    return;
  }
  json_t *out = NULL;
  {
    kc_err rc = kc_workcal_add(&r->ctx, r->workcal, date, n, &out);
    answer(r, rc, 200, out);
  }
}

void kc_h_calendar_count(kc_req *r)
{
  const char *from, *to;
  json_t *out = NULL;
  if (two_dates(r, "from", "to", &from, &to)) {
    kc_err rc = kc_workcal_count(&r->ctx, r->workcal, from, to, &out);
    answer(r, rc, 200, out);
  }
}

void kc_h_calendar_schedule(kc_req *r)
{
  int64_t year;
  json_t *out = NULL;
  if (kc_req_query_int(r, "year", 1900, 2199, 0, &year)) {
    if (!year)
      kc_req_fail_msg(r, KC_EFIELD, "year", "Thiếu tham số year (năm)");
    else {
      kc_err rc = kc_workcal_schedule(&r->ctx, (int)year, &out);
      answer(r, rc, 200, out);
    }
  }
}

static bool parse_entry(kc_req *r, json_t *b, kc_workcal_entry_in *in, bool create)
{
  return kc_body_str(r, b, "day", create, &in->day) &&
         kc_body_str(r, b, "kind", create, &in->kind) &&
         kc_body_str(r, b, "name", create, &in->name) &&
         kc_body_str(r, b, "source", false, &in->source) &&
         kc_body_int(r, b, "version", !create, &in->version);
}

void kc_h_calendar_entry_create(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_workcal_entry_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse_entry(r, b, &in, true)) {
    kc_err rc = kc_workcal_entry_create(&r->ctx, &in, &out);
    answer(r, rc, 201, out);
  }
  json_decref(b);
}

void kc_h_calendar_entry_update(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_workcal_entry_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse_entry(r, b, &in, false)) {
    kc_err rc = kc_workcal_entry_update(&r->ctx, r->id, &in, &out);
    answer(r, rc, 200, out);
  }
  json_decref(b);
}

void kc_h_calendar_entry_delete(kc_req *r)
{
  int64_t version;
  if (!kc_req_query_int(r, "version", 1, INT64_MAX, 0, &version))
    return;
  if (!version) {
    kc_req_fail_msg(r, KC_EFIELD, "version", "Thiếu tham số version (phiên bản hiện tại)");
    return;
  }
  kc_err e = kc_workcal_entry_delete(&r->ctx, r->id, version);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_empty(r, 204);
}

void kc_h_calendar_year_put(kc_req *r)
{
  json_t *b;
  const char *source, *text;
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_str(r, b, "source", true, &source) &&
      kc_body_str(r, b, "source_text", false, &text)) {
    kc_err e = kc_workcal_year_set(&r->ctx, (int)r->id, source, text);
    json_t *out = NULL;
    if (!e)
      e = kc_workcal_schedule(&r->ctx, (int)r->id, &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}

void kc_h_calendar_year_delete(kc_req *r)
{
  kc_err e = kc_workcal_year_unset(&r->ctx, (int)r->id);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_empty(r, 204);
}
