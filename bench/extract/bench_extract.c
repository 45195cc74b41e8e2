/* Time to extract the tasks of Plan 69/KH-UBND (target: at most 5 ms a run). Not run by CTest.
 *   bench_extract [repo]   (default: the working directory is the repository root) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "extract/extract.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  const char *root = argc > 1 ? argv[1] : ".";
  char path[4096], err[512];
  snprintf(path, sizeof path, "%s/data/hanoi-units-2017.tsv", root);
  kc_extract_registry *reg = NULL;
  if (kc_extract_registry_load_tsv(path, &reg, err, sizeof err) != KC_OK) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  snprintf(path, sizeof path, "%s/tests/extract/kh-69-ubnd-2017.txt", root);
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  static char text[1 << 20];
  size_t len = fread(text, 1, sizeof text, f);
  fclose(f);
  int runs = 0;
  size_t tasks = 0;
  double best = 1e9, t0 = now();
  while (now() - t0 < 2.0) {
    double s = now();
    kc_extract_result *res = NULL;
    if (kc_extract_run(text, len, reg, NULL, &res) != KC_OK)
      return 1;
    tasks = res->count;
    kc_extract_result_free(res);
    double e = now() - s;
    best = e < best ? e : best;
    runs++;
  }
  double mean = (now() - t0) / runs;
  printf("extract Plan 69 (%zu bytes, %zu tasks): mean %.3f ms, best %.3f ms over %d runs\n", len,
         tasks, mean * 1e3, best * 1e3, runs);
  kc_extract_registry_free(reg);
  return mean <= 0.005 ? 0 : 1;
}
