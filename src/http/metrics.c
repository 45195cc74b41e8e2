/* metrics.c: see metrics.h. */
#include "http/metrics.h"
#include "http/router.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const double bounds_ms[KC_METRICS_BUCKETS] = {0.25, 0.5, 1,   2,   5,    10,
                                                     20,   50,  100, 250, 1000, 5000};

void kc_metrics_record(kc_metrics *m, int ri, int status, uint64_t us, uint64_t db_ns)
{
  int cls = status / 100 - 1;
  if (cls < 0 || cls > 4)
    cls = 4;
  if (ri < 0 || ri >= KC_METRICS_MAX_ROUTES)
    ri = KC_METRICS_MAX_ROUTES;
  atomic_fetch_add_explicit(&m->requests[ri][cls], 1, memory_order_relaxed);
  int b = 0;
  while (b < KC_METRICS_BUCKETS && (double)us / 1000.0 > bounds_ms[b])
    b++;
  atomic_fetch_add_explicit(&m->latency_bucket[b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&m->latency_us_sum, us, memory_order_relaxed);
  atomic_fetch_add_explicit(&m->db_ns_sum, db_ns, memory_order_relaxed);
  if (status >= 500)
    atomic_fetch_add_explicit(&m->errors, 1, memory_order_relaxed);
}

typedef struct out_buf {
  kc_arena *ar;
  char *p;
  size_t len, cap;
} out_buf;

static void put(out_buf *o, const char *fmt, ...) KC_PRINTF(2, 3);
static void put(out_buf *o, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *s = kc_arena_vprintf(o->ar, fmt, ap);
  va_end(ap);
  size_t n = strlen(s);
  if (o->len + n + 1 > o->cap) {
    size_t cap = (o->len + n + 1) * 2;
    char *p = kc_arena_alloc(o->ar, cap);
    if (o->len)
      memcpy(p, o->p, o->len);
    o->p = p;
    o->cap = cap;
  }
  memcpy(o->p + o->len, s, n + 1);
  o->len += n;
}

char *kc_metrics_render(kc_metrics *m, kc_arena *ar, size_t *len)
{
  out_buf o = {.ar = ar};
  put(&o, "# HELP kycuong_http_requests_total HTTP requests by route and status class.\n"
          "# TYPE kycuong_http_requests_total counter\n");
  for (int i = 0; i <= KC_METRICS_MAX_ROUTES; i++) {
    const char *method = "ANY", *route = "static";
    if (i < kc_route_count) {
      method = kc_routes[i].method;
      route = kc_routes[i].pattern;
    } else if (i != KC_METRICS_MAX_ROUTES)
      continue;
    for (int c = 0; c < 5; c++) {
      uint64_t v = atomic_load_explicit(&m->requests[i][c], memory_order_relaxed);
      if (v)
        put(&o,
            "kycuong_http_requests_total{method=\"%s\",route=\"%s\",status=\"%dxx\"} %" PRIu64 "\n",
            method, route, c + 1, v);
    }
  }
  put(&o, "# HELP kycuong_http_request_duration_seconds Time to answer a request.\n"
          "# TYPE kycuong_http_request_duration_seconds histogram\n");
  uint64_t cum = 0;
  for (int b = 0; b <= KC_METRICS_BUCKETS; b++) {
    cum += atomic_load_explicit(&m->latency_bucket[b], memory_order_relaxed);
    if (b < KC_METRICS_BUCKETS)
      put(&o, "kycuong_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
          bounds_ms[b] / 1000.0, cum);
    else
      put(&o, "kycuong_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n", cum);
  }
  put(&o, "kycuong_http_request_duration_seconds_sum %.6f\n",
      (double)atomic_load_explicit(&m->latency_us_sum, memory_order_relaxed) / 1e6);
  put(&o, "kycuong_http_request_duration_seconds_count %" PRIu64 "\n", cum);
  put(&o,
      "# HELP kycuong_http_errors_total Answers with a 5xx status.\n"
      "# TYPE kycuong_http_errors_total counter\nkycuong_http_errors_total %" PRIu64 "\n",
      (uint64_t)atomic_load_explicit(&m->errors, memory_order_relaxed));
  put(&o,
      "# HELP kycuong_db_seconds_total Time spent in the database by requests.\n"
      "# TYPE kycuong_db_seconds_total counter\nkycuong_db_seconds_total %.6f\n",
      (double)atomic_load_explicit(&m->db_ns_sum, memory_order_relaxed) / 1e9);
  put(&o,
      "# HELP kycuong_start_time_seconds When the server started (Unix time).\n"
      "# TYPE kycuong_start_time_seconds gauge\nkycuong_start_time_seconds %" PRId64 "\n",
      m->started_at);
  *len = o.len;
  return o.p;
}
