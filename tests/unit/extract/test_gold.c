/* Scorer: runs the reader on each document of tests/extract/corpus.tsv and compares its
 * (lead unit, deadline, recurrence) triples with the gold file written by reading the
 * document. Prints precision and recall per document; each must reach 0.9. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/vntext.h"
#include "extract/extract.h"

#define TARGET 0.9
#define MAX_ROWS 512

typedef struct triple {
  char key[512]; /* folded lead, due, recurrence */
  char text[160];
  bool used;
} triple;

static char *read_all(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  size_t got = fread(p, 1, (size_t)n, f);
  fclose(f);
  p[got] = '\0';
  *len = got;
  return p;
}

/* Parses TSV task lines (comments start with '#') into triples. */
static size_t parse_tsv(char *s, triple *out, size_t cap)
{
  size_t n = 0;
  for (char *line = strtok(s, "\n"); line && n < cap; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || !line[0])
      continue;
    char *f[4] = {line, "", "", ""};
    for (int k = 1; k < 4; k++) {
      char *tab = strchr(f[k - 1], '\t');
      if (!tab)
        break;
      *tab = '\0';
      f[k] = tab + 1;
    }
    char lead[256];
    kc_vn_fold(f[0], strlen(f[0]), lead, sizeof lead);
    snprintf(out[n].key, sizeof out[n].key, "%s|%s|%s", lead, f[1], f[2]);
    snprintf(out[n].text, sizeof out[n].text, "%s", f[3]);
    out[n].used = false;
    n++;
  }
  return n;
}

static int score(const char *dir, const char *data, const char *doc, const char *gold,
                 const char *units)
{
  char path[2048], err[512];
  size_t len;
  if (!strncmp(units, "data:", 5))
    snprintf(path, sizeof path, "%s/%s", data, units + 5);
  else
    snprintf(path, sizeof path, "%s/%s", dir, units);
  kc_extract_registry *reg = NULL;
  assert_int_equal(kc_extract_registry_load_tsv(path, &reg, err, sizeof err), KC_OK);
  snprintf(path, sizeof path, "%s/%s", dir, doc);
  char *text = read_all(path, &len);
  assert_non_null(text);
  kc_extract_result *res = NULL;
  assert_int_equal(kc_extract_run(text, len, reg, NULL, &res), KC_OK);
  char *tsv = kc_extract_format_result(res, KC_EXTRACT_TSV, NULL);
  snprintf(path, sizeof path, "%s/%s", dir, gold);
  char *gtext = read_all(path, &len);
  assert_non_null(gtext);

  static triple got[MAX_ROWS], want[MAX_ROWS];
  size_t ng = parse_tsv(tsv, got, MAX_ROWS), nw = parse_tsv(gtext, want, MAX_ROWS);
  size_t hit = 0;
  for (size_t i = 0; i < ng; i++)
    for (size_t j = 0; j < nw; j++)
      if (!want[j].used && !strcmp(got[i].key, want[j].key)) {
        want[j].used = got[i].used = true;
        hit++;
        break;
      }
  for (size_t i = 0; i < ng; i++)
    if (!got[i].used)
      printf("  extra:   %s   %.80s\n", got[i].key, got[i].text);
  for (size_t j = 0; j < nw; j++)
    if (!want[j].used)
      printf("  missing: %s   %.80s\n", want[j].key, want[j].text);
  double p = ng ? (double)hit / (double)ng : 1.0, r = nw ? (double)hit / (double)nw : 1.0;
  printf("| %-28s | %3zu | %3zu | %3zu | %.3f | %.3f |\n", doc, nw, ng, hit, p, r);
  free(gtext);
  free(tsv);
  free(text);
  kc_extract_result_free(res);
  kc_extract_registry_free(reg);
  return p >= TARGET && r >= TARGET;
}

static void test_gold_files(void **state)
{
  (void)state;
  const char *src = getenv("KC_SOURCE_DIR"), *data = getenv("KC_DATA_DIR");
  assert_non_null(src);
  assert_non_null(data);
  char dir[1024], path[1100];
  snprintf(dir, sizeof dir, "%s/tests/extract", src);
  snprintf(path, sizeof path, "%s/corpus.tsv", dir);
  size_t len;
  char *corpus = read_all(path, &len);
  assert_non_null(corpus);
  printf("| document | gold | found | matched | precision | recall |\n|---|---|---|---|---|---|\n");
  int ok = 1;
  char *save = NULL;
  for (char *line = strtok_r(corpus, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    if (line[0] == '#')
      continue;
    char doc[256], gold[256], units[256];
    if (sscanf(line, "%255[^\t]\t%255[^\t]\t%255s", doc, gold, units) != 3)
      continue;
    ok &= score(dir, data, doc, gold, units);
  }
  free(corpus);
  assert_true(ok);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_gold_files)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
