/* The extract subcommand (see cmd_extract.h). Thin: read the file and registry, run
 * kc_extract, print. */
#include "cli/cmd_extract.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "extract/input.h"

#define EXIT_BAD_INPUT 2
#define EXIT_DATA 1
#define MAX_INPUT (16u << 20) /* a directive is a few hundred KB at most */

static const char usage_text[] =
    "Cách dùng: kycuong extract TỆP [--format tsv|json] [--units DANH_MỤC.tsv]\n"
    "  Đọc văn bản chỉ đạo (UTF-8) và liệt kê nhiệm vụ: đơn vị chủ trì, hạn, định kỳ.\n";

static int usage(const char *why)
{
  if (why)
    fprintf(stderr, "Lỗi: %s\n", why);
  fputs(usage_text, stderr);
  return EXIT_BAD_INPUT;
}

/* Reads the whole stream, refusing more than MAX_INPUT bytes. Returns NULL on error. */
static char *slurp(FILE *f, size_t *len)
{
  size_t cap = 1 << 16, n = 0;
  char *p = malloc(cap);
  while (p) {
    if (n == cap) {
      if (cap >= MAX_INPUT) {
        free(p);
        return NULL;
      }
      cap *= 2;
      char *q = realloc(p, cap);
      if (!q)
        break;
      p = q;
    }
    size_t got = fread(p + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  if (!p || ferror(f)) {
    free(p);
    return NULL;
  }
  *len = n;
  return p;
}

int kc_cli_extract(int argc, char **argv, const char *data_dir)
{
  const char *file = NULL, *units = NULL, *format = "tsv";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--format") && i + 1 < argc)
      format = argv[++i];
    else if (!strcmp(argv[i], "--units") && i + 1 < argc)
      units = argv[++i];
    else if (!strcmp(argv[i], "help") || !strcmp(argv[i], "--help"))
      return usage(NULL), 0;
    else if (argv[i][0] == '-' && argv[i][1] != '\0')
      return usage("tham số không rõ");
    else if (!file)
      file = argv[i];
    else
      return usage("chỉ đọc một tệp mỗi lần");
  }
  if (!file)
    return usage("thiếu tên tệp");
  if (strcmp(format, "tsv") && strcmp(format, "json"))
    return usage("--format chỉ nhận tsv hoặc json");

  int rc = EXIT_DATA;
  char *text = NULL, *out = NULL;
  kc_extract_registry *reg = NULL;
  kc_extract_result *res = NULL;
  char path[4096], err[512];
  if (!units) {
    snprintf(path, sizeof path, "%s/hanoi-units-2017.tsv", data_dir ? data_dir : "data");
    units = path;
  }
  if (kc_extract_registry_load_tsv(units, &reg, err, sizeof err) != KC_OK) {
    fprintf(stderr, "Lỗi: %s\n", err);
    goto out;
  }
  FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
  size_t len = 0;
  if (!f) {
    fprintf(stderr, "Lỗi: không mở được %s: %s\n", file, strerror(errno));
    goto out;
  }
  text = slurp(f, &len);
  if (f != stdin)
    fclose(f);
  if (!text) {
    fprintf(stderr, "Lỗi: không đọc được %s (hoặc tệp lớn hơn 16 MB)\n", file);
    goto out;
  }
  /* .docx and PDF become text first (recognised by their first bytes, not their names) */
  char *plain = NULL;
  size_t plen = 0;
  if (kc_extract_input_text(text, len, &plain, &plen, err, sizeof err) != KC_OK) {
    fprintf(stderr, "Lỗi: %s: %s\n", file, err);
    rc = EXIT_BAD_INPUT;
    goto out;
  }
  free(text);
  text = plain;
  len = plen;
  if (kc_extract_run(text, len, reg, NULL, &res) != KC_OK) {
    fprintf(stderr, "Lỗi: %s không phải văn bản UTF-8 hợp lệ\n", file);
    rc = EXIT_BAD_INPUT;
    goto out;
  }
  size_t n;
  out =
      kc_extract_format_result(res, strcmp(format, "json") ? KC_EXTRACT_TSV : KC_EXTRACT_JSON, &n);
  fwrite(out, 1, n, stdout);
  rc = 0;
out:
  free(out);
  free(text);
  kc_extract_result_free(res);
  kc_extract_registry_free(reg);
  return rc;
}
