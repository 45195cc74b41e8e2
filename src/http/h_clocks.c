/* h_clocks.c: /api/v1/legal-clocks: the legal-clock rule sets (lclock.h). */
#include "domain/core/lclock.h"
#include "http/handlers.h"

void kc_h_legal_clocks(kc_req *r)
{
  bool bad = false;
  const char *at = kc_req_query(r, "at", &bad);
  if (bad)
    return;
  json_t *items = NULL;
  kc_err e = kc_lc_list(&r->ctx, at, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}
