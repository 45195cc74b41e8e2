/* router.c: matching paths against the route table. The table is small (tens of routes),
 * so a linear scan over pre-split patterns is faster than anything cleverer. */
#include "http/router.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool code_char(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
         c == '.' || c == '_';
}

/* Matches one pattern; ":id" accepts 1..18 digits, ":code" 1..64 letters, digits and "-._"
 * (the handler reads the code from the path's last segment). */
static bool match(const char *pat, const char *path, int64_t *id)
{
  *id = 0;
  while (*pat && *path) {
    if (!strncmp(pat, ":code", 5)) {
      const char *p = path;
      while (code_char(*p))
        p++;
      if (p == path || p - path > 64)
        return false;
      path = p;
      pat += 5;
      continue;
    }
    if (*pat == ':') {
      const char *p = path;
      while (*p >= '0' && *p <= '9')
        p++;
      size_t n = (size_t)(p - path);
      if (n == 0 || n > 18 || *path == '0')
        return false;
      *id = strtoll(path, NULL, 10);
      path = p;
      while (*pat && *pat != '/')
        pat++;
      continue;
    }
    if (*pat != *path)
      return false;
    pat++;
    path++;
  }
  return !*pat && !*path;
}

const kc_route *kc_route_match(const char *method, const char *path, int64_t *id, bool *path_known)
{
  *path_known = false;
  for (int i = 0; i < kc_route_count; i++) {
    int64_t x;
    if (!match(kc_routes[i].pattern, path, &x))
      continue;
    *path_known = true;
    if (!strcmp(kc_routes[i].method, method)) {
      *id = x;
      return &kc_routes[i];
    }
  }
  return NULL;
}

void kc_route_print(FILE *out)
{
  for (int i = 0; i < kc_route_count; i++) {
    const kc_route *rt = &kc_routes[i];
    if (kc_route_public(rt)) {
      fprintf(out, "%s\t%s\tpublic\n", rt->method, rt->pattern);
      continue;
    }
    char roles[128];
    kc_roles_format(rt->roles, roles, sizeof roles);
    fprintf(out, "%s\t%s\tauth\t%s\t%s\n", rt->method, rt->pattern, roles,
            rt->scope == KC_SCOPE_UNIT ? "unit" : "city");
  }
}

int kc_route_index(const kc_route *rt)
{
  return rt ? (int)(rt - kc_routes) : -1;
}
