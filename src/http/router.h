/* router.h: the route table: method + path pattern (segments, `:id` for a positive integer, `:code`
 * for a code of letters, digits and "-._"),
 * the handler and whether the route needs a session. `kycuong routes` prints it, and a test
 * checks docs/openapi.json against it. */
#ifndef KC_HTTP_ROUTER_H
#define KC_HTTP_ROUTER_H
#include "http/req.h"
#include <stdbool.h>
#include <stdio.h>

typedef void (*kc_handler)(kc_req *r);

struct kc_route {
  const char *method;
  const char *pattern;
  kc_handler handler;
  bool public;
};

extern const kc_route kc_routes[];
extern const int kc_route_count;

/* Finds the route for method and path. On a match returns it and sets *id (0 if the pattern
 * has no :id). When the path matches some route but not the method, returns NULL with
 * *path_known true (→ 405). */
const kc_route *kc_route_match(const char *method, const char *path, int64_t *id, bool *path_known);
/* Writes the table, one `METHOD<TAB>PATTERN<TAB>public|auth` line per route. */
void kc_route_print(FILE *out);
/* Index of a route in kc_routes (for metrics). */
int kc_route_index(const kc_route *rt);

#endif
