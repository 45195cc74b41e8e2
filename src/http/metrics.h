/* metrics.h: request counters and latency histograms exposed at /metrics in the Prometheus
 * text format. Updated with relaxed atomics from every worker thread. */
#ifndef KC_HTTP_METRICS_H
#define KC_HTTP_METRICS_H
#include "base/mem.h"
#include <stdatomic.h>
#include <stdint.h>

#define KC_METRICS_BUCKETS 12
#define KC_METRICS_MAX_ROUTES 128

typedef struct kc_metrics {
  /* per route (last slot: static files and unmatched paths) and status class 1xx..5xx */
  atomic_uint_fast64_t requests[KC_METRICS_MAX_ROUTES + 1][5];
  atomic_uint_fast64_t latency_bucket[KC_METRICS_BUCKETS + 1]; /* cumulative at output */
  atomic_uint_fast64_t latency_us_sum;
  atomic_uint_fast64_t db_ns_sum;
  atomic_uint_fast64_t errors; /* 5xx answers */
  int64_t started_at;
} kc_metrics;

/* Records one finished request. route_index -1 for static files and unmatched paths. */
void kc_metrics_record(kc_metrics *m, int route_index, int status, uint64_t micros, uint64_t db_ns);
/* Renders the Prometheus text into an arena string. */
char *kc_metrics_render(kc_metrics *m, kc_arena *ar, size_t *len);

#endif
