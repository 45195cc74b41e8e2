/* h_home.c: GET /api/v1/home, "Việc của tôi" (domain/home/home.h). */
#include "domain/home/home.h"
#include "http/handlers.h"
#include "http/req.h"

void kc_h_home(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_home(&r->ctx, &out);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, 200, out);
}
