/* change.c: see change.h. */
#include "domain/core/change.h"
#include "domain/org/audit.h"
#include <stdlib.h>
#include <string.h>

bool kc_change_text(const json_t *row, const char *key, const char *given)
{
  if (!given)
    return false;
  const char *stored = json_string_value(json_object_get(row, key));
  return strcmp(stored ? stored : "", given) != 0;
}

bool kc_change_int(const json_t *row, const char *key, int64_t given, int64_t keep)
{
  if (given == keep)
    return false;
  const json_t *v = json_object_get(row, key);
  int64_t stored = json_is_boolean(v) ? json_is_true(v) : (int64_t)json_integer_value(v);
  return stored != given;
}

bool kc_change_record(const json_t *before, const json_t *after)
{
  json_t *a = json_copy((json_t *)before), *b = json_copy((json_t *)after);
  static const char *const own[] = {"version", "updated_at"};
  for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
    json_object_del(a, own[i]);
    json_object_del(b, own[i]);
  }
  bool changed = !json_equal(a, b);
  json_decref(a);
  json_decref(b);
  return changed;
}

static int cmp_id(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Sorts a[0..n) and drops repeats; returns the number left. */
static size_t sort_set(int64_t *a, size_t n)
{
  qsort(a, n, sizeof *a, cmp_id);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!k || a[k - 1] != a[i])
      a[k++] = a[i];
  return k;
}

bool kc_change_ids(kc_arena *ar, const json_t *stored, const int64_t *given, size_t n)
{
  size_t ns = json_array_size(stored);
  int64_t *want = kc_arena_alloc(ar, (n ? n : 1) * sizeof *want);
  int64_t *have = kc_arena_alloc(ar, (ns ? ns : 1) * sizeof *have);
  if (n)
    memcpy(want, given, n * sizeof *want);
  for (size_t i = 0; i < ns; i++)
    have[i] = json_integer_value(json_array_get(stored, i));
  size_t m = sort_set(want, n), mh = sort_set(have, ns);
  return m != mh || (m && memcmp(want, have, m * sizeof *want));
}

kc_err kc_change_end(kc_ctx *ctx, kc_err e, const char *action, const char *entity,
                     int64_t entity_id, json_t *before, json_t *after, json_t **out)
{
  if (!e)
    e = kc_audit_write(ctx, action, entity, entity_id, before, after);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(after);
    return e;
  }
  *out = after;
  return KC_OK;
}
