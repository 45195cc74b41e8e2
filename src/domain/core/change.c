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
