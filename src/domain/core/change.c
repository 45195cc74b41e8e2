/* change.c: see change.h. */
#include "domain/core/change.h"
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
