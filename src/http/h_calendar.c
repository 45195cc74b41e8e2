/* h_calendar.c: /api/v1/calendar: days, working-day arithmetic, the official schedule. */
#include "domain/core/workcal.h"
#include "http/handlers.h"

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
    kc_req_answer(r, rc, 200, out);
  }
}

void kc_h_calendar_count(kc_req *r)
{
  const char *from, *to;
  json_t *out = NULL;
  if (two_dates(r, "from", "to", &from, &to)) {
    kc_err rc = kc_workcal_count(&r->ctx, r->workcal, from, to, &out);
    kc_req_answer(r, rc, 200, out);
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
      kc_req_answer(r, rc, 200, out);
    }
  }
}

static const kc_field entry_fields[] = {
    KC_FIELD_DATE(kc_workcal_entry_in, day, KC_F_REQ_CREATE),
    KC_FIELD_STR(kc_workcal_entry_in, kind, KC_F_REQ_CREATE, 32),
    KC_FIELD_STR(kc_workcal_entry_in, name, KC_F_REQ_CREATE, 0),
    KC_FIELD_STR(kc_workcal_entry_in, source, 0, 0),
    KC_FIELD_VERSION(kc_workcal_entry_in),
};

void kc_h_calendar_entry_create(kc_req *r)
{
  json_t *out = NULL;
  kc_workcal_entry_in in = {0};
  if (kc_req_fields(r, entry_fields, KC_NFIELDS(entry_fields), true, &in)) {
    kc_err e = kc_workcal_entry_create(&r->ctx, &in, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_calendar_entry_update(kc_req *r)
{
  json_t *out = NULL;
  kc_workcal_entry_in in = {0};
  if (kc_req_fields(r, entry_fields, KC_NFIELDS(entry_fields), false, &in)) {
    kc_err e = kc_workcal_entry_update(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
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

typedef struct {
  const char *source, *source_text;
} year_in;

static const kc_field year_fields[] = {
    KC_FIELD_STR(year_in, source, KC_F_REQ, 0),
    KC_FIELD_STR(year_in, source_text, 0, 0),
};

void kc_h_calendar_year_put(kc_req *r)
{
  year_in in = {0};
  if (kc_req_fields(r, year_fields, KC_NFIELDS(year_fields), true, &in)) {
    kc_err e = kc_workcal_year_set(&r->ctx, (int)r->id, in.source, in.source_text);
    json_t *out = NULL;
    if (!e)
      e = kc_workcal_schedule(&r->ctx, (int)r->id, &out);
    kc_req_answer(r, e, 200, out);
  }
}

void kc_h_calendar_year_delete(kc_req *r)
{
  kc_err e = kc_workcal_year_unset(&r->ctx, (int)r->id);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_empty(r, 204);
}
