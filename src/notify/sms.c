/* sms.c: SMS through an HTTP gateway: POST {"to": phone, "text": message} as JSON. Gateways
 * differ; this is the common denominator, and a deployment adapts its gateway to it. */
#include "notify/notify.h"
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static size_t discard(char *p, size_t size, size_t n, void *u)
{
  (void)p;
  (void)u;
  return size * n;
}

kc_err kc_sms_send(const kc_config *cfg, const char *to, const char *text, char *err, size_t errcap)
{
  if (!*cfg->sms_url) {
    snprintf(err, errcap, "no sms_url configured");
    return KC_EIO;
  }
  json_t *j = json_pack("{ss ss}", "to", to, "text", text);
  char *body = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  CURL *c = curl_easy_init();
  if (!c || !body) {
    free(body);
    if (c)
      curl_easy_cleanup(c);
    snprintf(err, errcap, "out of memory");
    return KC_EINTERNAL;
  }
  struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
  curl_easy_setopt(c, CURLOPT_URL, cfg->sms_url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  kc_err rc = KC_OK;
  CURLcode res = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (res != CURLE_OK) {
    snprintf(err, errcap, "sms: %s", curl_easy_strerror(res));
    rc = KC_EIO;
  } else if (status < 200 || status > 299) {
    snprintf(err, errcap, "sms gateway answered HTTP %ld", status);
    rc = KC_EIO;
  }
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  free(body);
  return rc;
}
