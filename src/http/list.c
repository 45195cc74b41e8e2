/* list.c: list endpoints' query parameters (list.h). */
#include "http/list.h"
#include <stdint.h>

const kc_qparam kc_qpage_params[3] = {KC_QP_STR(kc_qpage, q, 0), KC_QP_PAGING(kc_qpage)};

bool kc_req_params(kc_req *r, const kc_qparam *t, size_t n, void *out)
{
  char *base = out;
  for (size_t i = 0; i < n; i++) {
    const kc_qparam *p = &t[i];
    void *m = base + p->off;
    if (p->kind == KC_QP_STR) {
      bool bad = false;
      const char *v = kc_req_query(r, p->name, &bad);
      if (bad)
        return false;
      *(const char **)m = v && !*v && (p->flags & KC_QP_EMPTY_NULL) ? NULL : v;
      continue;
    }
    int64_t v;
    if (!kc_req_query_int(r, p->name, p->lo, p->hi, p->dflt, &v))
      return false;
    if (p->kind == KC_QP_INT)
      *(int64_t *)m = v;
    else if (p->kind == KC_QP_BOOL)
      *(bool *)m = v != 0;
    else
      *(int *)m = (int)v;
  }
  return true;
}

void kc_req_qpage_list(kc_req *r, kc_qpage_list_fn fn)
{
  kc_qpage f;
  if (!KC_REQ_PARAMS(r, kc_qpage_params, &f))
    return;
  json_t *items = NULL;
  int64_t total = 0;
  kc_err e = fn(&r->ctx, f.q, f.limit, f.offset, &items, &total);
  kc_req_list_answer(r, e, items, total);
}

void kc_req_list_answer(kc_req *r, kc_err e, json_t *items, int64_t total)
{
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, total);
}
