/* Time to render the one-stop shop's slips as PDF (target: a receipt in at most 20 ms). Not run
 * by CTest. Build and run from the repository root:
 *   cmake --build build --target bench_pdf && build/bench/pdf/bench_pdf [repo] [runs] [threads]
 * Renders the receipt of tests/unit/report/dossier.json `runs` times (default 200) in one
 * thread, then in `threads` threads at once (default 2), and a 60-step control slip. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/pdf_doc.h"
#include "report/slips.h"

#define URL "https://motcua.hanoi.gov.vn/tra-cuu/HN-D01-170301-0001"

static json_t *dossier;
static int runs = 200;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Renders `runs` receipts; stores each one's time (ms) in t. Returns 0 on success. */
static int receipts(double *t, size_t *bytes)
{
  for (int i = 0; i < runs; i++) {
    char *pdf;
    size_t len;
    double s = now();
    if (kc_slip_receipt(dossier, URL, NULL, &pdf, &len) != KC_OK)
      return 1;
    t[i] = (now() - s) * 1e3;
    *bytes = len;
    free(pdf);
  }
  return 0;
}

static void *worker(void *arg)
{
  double *t = arg;
  size_t bytes;
  if (receipts(t, &bytes))
    t[0] = -1;
  kc_pdf_thread_done();
  return NULL;
}

static void report(const char *what, double *t, int n, double wall)
{
  qsort(t, (size_t)n, sizeof *t, cmp);
  double sum = 0;
  for (int i = 0; i < n; i++)
    sum += t[i];
  printf("%-28s %5d runs: mean %6.2f ms, p50 %6.2f, p95 %6.2f, max %6.2f; %.0f/s\n", what, n,
         sum / n, t[n / 2], t[n * 95 / 100], t[n - 1], n / wall);
}

int main(int argc, char **argv)
{
  const char *root = argc > 1 ? argv[1] : ".";
  runs = argc > 2 ? atoi(argv[2]) : 200;
  int threads = argc > 3 ? atoi(argv[3]) : 2;
  if (runs < 1 || threads < 1 || threads > 64)
    return 2;
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/unit/report/dossier.json", root);
  json_error_t je;
  dossier = json_load_file(path, 0, &je);
  if (!dossier) {
    fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
    return 1;
  }

  /* The first render of a process loads fontconfig's configuration and the fonts. */
  char *pdf;
  size_t len, bytes = 0;
  double s = now();
  if (kc_slip_receipt(dossier, URL, NULL, &pdf, &len) != KC_OK)
    return 1;
  printf("first receipt (cold)          %.1f ms, %zu bytes\n", (now() - s) * 1e3, len);
  free(pdf);

  double *t = calloc((size_t)runs * (size_t)threads, sizeof *t);
  s = now();
  if (receipts(t, &bytes))
    return 1;
  report("receipt, 1 thread", t, runs, now() - s);

  pthread_t th[64];
  s = now();
  for (int i = 0; i < threads; i++)
    pthread_create(&th[i], NULL, worker, t + (size_t)i * (size_t)runs);
  for (int i = 0; i < threads; i++)
    pthread_join(th[i], NULL);
  double wall = now() - s;
  for (int i = 0; i < threads; i++)
    if (t[(size_t)i * (size_t)runs] < 0)
      return 1;
  char what[64];
  snprintf(what, sizeof what, "receipt, %d threads", threads);
  report(what, t, runs * threads, wall);

  /* A control slip of 60 steps (4 pages). */
  json_t *steps = json_array();
  for (int i = 1; i <= 60; i++)
    json_array_append_new(steps, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "seq", i, "unit_name",
                                           "Phòng Tài chính - Kế hoạch quận Ba Đình",
                                           "given_by_name", "Trần Thị Bình", "received_by_name",
                                           "Lê Văn Cường", "started_at",
                                           "2017-03-01T14:30:00+07:00", "result", "on_time"));
  json_object_set_new(dossier, "steps", steps);
  int n = runs < 50 ? runs : 50;
  s = now();
  for (int i = 0; i < n; i++) {
    double s1 = now();
    if (kc_slip_control(dossier, NULL, &pdf, &len) != KC_OK)
      return 1;
    t[i] = (now() - s1) * 1e3;
    free(pdf);
  }
  report("control slip, 60 steps", t, n, now() - s);
  printf("receipt size %zu bytes\n", bytes);
  free(t);
  json_decref(dossier);
  kc_pdf_shutdown();
  return 0;
}
