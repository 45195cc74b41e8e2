/* Throughput of base/vntext (fold, sort keys, NFC) and base/utf8 validation on Vietnamese text.
 * Build and run (from the repository root):
 *   gcc -std=c17 -O2 -D_GNU_SOURCE -Isrc bench/vntext/bench_vntext.c src/base/vntext.c \
 *       src/base/utf8.c -lutf8proc -o /tmp/bench_vntext && /tmp/bench_vntext
 * or through bench/vntext/CMakeLists.txt. Prints MB/s of input for each function. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"
#include "base/vntext.h"

/* Typical fields: people's names, unit names, task titles. NFC, as stored. */
static const char *const samples[] = {
    "Nguyễn Văn An",
    "Trần Thị Thu Hương",
    "Lê Hoàng Phương Thảo",
    "UBND Thành phố Hà Nội",
    "Sở Kế hoạch và Đầu tư",
    "UBND quận Hoàn Kiếm",
    "Báo cáo tình hình thực hiện nhiệm vụ tháng 3/2017 theo Kế hoạch số 69/KH-UBND",
    "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ đăng ký hộ kinh doanh",
    "Tăng cường kỷ luật, kỷ cương hành chính trong các cơ quan nhà nước",
    "Phường Phúc Xá, quận Ba Đình",
};

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef size_t (*keyfn)(const char *, size_t, char *, size_t);

/* Runs `fn` over every record until about `seconds` have passed; returns MB/s of input. */
static double run(keyfn fn, char **rec, size_t *len, size_t n, double seconds)
{
  static char out[4096];
  size_t bytes = 0, sink = 0;
  double t0 = now(), t;

  do {
    for (size_t i = 0; i < n; i++) {
      sink += fn(rec[i], len[i], out, sizeof(out));
      bytes += len[i];
    }
    t = now() - t0;
  } while (t < seconds);
  if (sink == 0)
    puts("");
  return (double)bytes / t / 1e6;
}

static size_t valid_fn(const char *s, size_t len, char *out, size_t cap)
{
  (void)out;
  (void)cap;
  return kc_utf8_valid(s, len);
}

static size_t nfc_fn(const char *s, size_t len, char *out, size_t cap)
{
  size_t n = 0;
  char *p = kc_vn_nfc(s, len, &n);
  (void)out;
  (void)cap;
  free(p);
  return n;
}

int main(void)
{
  enum { NREC = 10000 };
  size_t nsamples = sizeof(samples) / sizeof(samples[0]);
  char **rec = malloc(NREC * sizeof(*rec));
  size_t *len = malloc(NREC * sizeof(*len));
  size_t total = 0, nonascii = 0;

  if (rec == NULL || len == NULL)
    return 1;
  for (size_t i = 0; i < NREC; i++) {
    rec[i] = (char *)samples[i % nsamples];
    len[i] = strlen(rec[i]);
    total += len[i];
    for (size_t j = 0; j < len[i]; j++)
      nonascii += (unsigned char)rec[i][j] >= 0x80;
  }
  printf("%d records, %.2f MB, %.0f%% non-ASCII bytes, mean %.1f bytes\n", NREC, total / 1e6,
         100.0 * nonascii / total, (double)total / NREC);
  printf("kc_utf8_valid          %8.1f MB/s\n", run(valid_fn, rec, len, NREC, 1.0));
  printf("kc_vn_nfc              %8.1f MB/s\n", run(nfc_fn, rec, len, NREC, 1.0));
  printf("kc_vn_fold             %8.1f MB/s\n", run(kc_vn_fold, rec, len, NREC, 1.0));
  printf("kc_vn_sortkey          %8.1f MB/s\n", run(kc_vn_sortkey, rec, len, NREC, 1.0));
  printf("kc_vn_sortkey_person   %8.1f MB/s\n", run(kc_vn_sortkey_person, rec, len, NREC, 1.0));

  /* Plain ASCII for comparison (codes, e-mail addresses). */
  for (size_t i = 0; i < NREC; i++) {
    rec[i] = "HN-S02 task 2017-03-25 report nguyen.van.an@hanoi.gov.vn";
    len[i] = strlen(rec[i]);
  }
  printf("ASCII: kc_vn_fold      %8.1f MB/s\n", run(kc_vn_fold, rec, len, NREC, 1.0));
  printf("ASCII: kc_vn_sortkey   %8.1f MB/s\n", run(kc_vn_sortkey, rec, len, NREC, 1.0));
  free(rec);
  free(len);
  return 0;
}
