/* mail.c: e-mail over SMTP with libcurl. The message is plain UTF-8 text; the subject is
 * RFC 2047 encoded and the body base64 encoded, so Vietnamese survives every relay. */
#include "base/clock.h"
#include "notify/notify.h"
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

kc_err kc_notify_init(void)
{
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? KC_OK : KC_EINTERNAL;
}

void kc_notify_cleanup(void)
{
  curl_global_cleanup();
}

typedef struct upload {
  const char *data;
  size_t len, pos;
} upload;

static size_t read_cb(char *buf, size_t size, size_t nitems, void *userp)
{
  upload *u = userp;
  size_t room = size * nitems, left = u->len - u->pos;
  size_t n = left < room ? left : room;
  memcpy(buf, u->data + u->pos, n);
  u->pos += n;
  return n;
}

static char *b64(const char *s, size_t len)
{
  size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
  char *out = malloc(cap);
  if (out)
    sodium_bin2base64(out, cap, (const unsigned char *)s, len, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

/* Keeps only what may appear in a header: no CR or LF (header injection). */
static int header_safe(const char *s)
{
  return !strpbrk(s, "\r\n");
}

kc_err kc_mail_send(const kc_config *cfg, const char *to, const char *subject, const char *body,
                    int64_t now, char *err, size_t errcap)
{
  if (!*cfg->smtp_url) {
    snprintf(err, errcap, "no smtp_url configured");
    return KC_EIO;
  }
  if (!header_safe(to) || !header_safe(subject) || !strchr(to, '@')) {
    snprintf(err, errcap, "refusing unsafe address or subject");
    return KC_EIO;
  }
  char *subj64 = b64(subject, strlen(subject));
  /* base64 body wrapped at 76 columns (RFC 2045) */
  char *raw = b64(body, strlen(body));
  if (!subj64 || !raw) {
    free(subj64);
    free(raw);
    snprintf(err, errcap, "out of memory");
    return KC_EINTERNAL;
  }
  size_t rl = strlen(raw);
  char *wrapped = malloc(rl + rl / 76 * 2 + 3);
  size_t w = 0;
  for (size_t i = 0; i < rl; i += 76) {
    size_t n = rl - i < 76 ? rl - i : 76;
    memcpy(wrapped + w, raw + i, n);
    w += n;
    wrapped[w++] = '\r';
    wrapped[w++] = '\n';
  }
  wrapped[w] = 0;
  char date[64];
  time_t t = (time_t)now;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  unsigned char rnd[8];
  randombytes_buf(rnd, sizeof rnd);
  char msg_id[17];
  sodium_bin2hex(msg_id, sizeof msg_id, rnd, sizeof rnd);
  size_t cap = strlen(subj64) + w + strlen(to) + strlen(cfg->smtp_from) + 512;
  char *msg = malloc(cap);
  int len = snprintf(msg, cap,
                     "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@kycuong>\r\n"
                     "Subject: =?UTF-8?B?%s?=\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\n%s",
                     date, cfg->smtp_from, to, msg_id, subj64, wrapped);
  free(subj64);
  free(raw);
  free(wrapped);
  kc_err rc = KC_OK;
  CURL *c = curl_easy_init();
  struct curl_slist *rcpt = NULL;
  if (!c) {
    snprintf(err, errcap, "curl_easy_init failed");
    free(msg);
    return KC_EINTERNAL;
  }
  upload u = {.data = msg, .len = (size_t)len};
  char from[300];
  snprintf(from, sizeof from, "<%s>", cfg->smtp_from);
  char rcpt_addr[300];
  snprintf(rcpt_addr, sizeof rcpt_addr, "<%s>", to);
  rcpt = curl_slist_append(rcpt, rcpt_addr);
  curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &u);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (*cfg->smtp_user) {
    curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
    curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
  }
  if (!strncmp(cfg->smtp_url, "smtps://", 8))
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  CURLcode res = curl_easy_perform(c);
  if (res != CURLE_OK) {
    snprintf(err, errcap, "smtp: %s", curl_easy_strerror(res));
    rc = KC_EIO;
  }
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  free(msg);
  return rc;
}
