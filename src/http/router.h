/* router.h: the route table: method + path pattern (segments, `:id` for a positive integer, `:code`
 * for a code of letters, digits and "-._"), the handler, and its access: public (no session),
 * or the roles that may call it (domain/core/access.h) and whether the unit scope applies.
 * `kycuong routes` prints it; tests check docs/openapi.json against it and walk its access. */
#ifndef KC_HTTP_ROUTER_H
#define KC_HTTP_ROUTER_H
#include "domain/core/access.h"
#include "http/req.h"
#include <stdbool.h>
#include <stdio.h>

typedef void (*kc_handler)(kc_req *r);

/* A public route needs no session: its role set is empty. */
#define KC_PUBLIC_ROUTE ((kc_roles)0)
typedef enum { KC_SCOPE_NONE, KC_SCOPE_UNIT } kc_route_scope;

struct kc_route {
  const char *method;
  const char *pattern;
  kc_handler handler;
  kc_roles roles; /* who may call it; KC_PUBLIC_ROUTE: anyone, without a session */
  kc_route_scope scope;
};

static inline bool kc_route_public(const kc_route *rt)
{
  return rt->roles == KC_PUBLIC_ROUTE;
}
/* Whether a signed-in account of role `role` may call the route (public ones: everyone). */
static inline bool kc_route_allows(const kc_route *rt, kc_role role)
{
  return kc_route_public(rt) || (rt->roles & KC_ROLE_BIT(role));
}

extern const kc_route kc_routes[];
extern const int kc_route_count;

/* Finds the route for method and path. On a match returns it and sets *id (0 if the pattern
 * has no :id). When the path matches some route but not the method, returns NULL with
 * *path_known true (→ 405). */
const kc_route *kc_route_match(const char *method, const char *path, int64_t *id, bool *path_known);
/* Writes the table, one line per route: `METHOD<TAB>PATTERN<TAB>public`, or
 * `METHOD<TAB>PATTERN<TAB>auth<TAB>role,role,...<TAB>unit|city` (unit: the unit scope
 * applies). */
void kc_route_print(FILE *out);
/* Index of a route in kc_routes (for metrics). */
int kc_route_index(const kc_route *rt);

#endif
