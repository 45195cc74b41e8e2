/* req.c: building answers (JSON, errors, stored files), parsing the JSON body (its members are
 * read by field tables, fields.c) and query arguments. */
#include "http/req.h"
#include "base/utf8.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int kc_http_status(kc_err e)
{
  switch (e) {
  case KC_OK: return 200;
  case KC_EBADREQ:
  case KC_EJSON:
  case KC_EFIELD: return 400;
  case KC_ETOOLARGE: return 413;
  case KC_EAUTH: return 401;
  case KC_ECSRF:
  case KC_EFORBIDDEN: return 403;
  case KC_ENOTFOUND: return 404;
  case KC_ECONFLICT: return 409;
  case KC_ETHROTTLE: return 429;
  case KC_EBUSY: return 503;
  default: return 500;
  }
}

void kc_req_add_header(kc_req *r, const char *name, const char *value)
{
  if (r->nheaders < KC_REQ_MAX_HEADERS) {
    r->hname[r->nheaders] = name;
    r->hvalue[r->nheaders++] = value;
  }
}

/* Makes a malloc'd buffer the answer's body; it is freed when the request completes (or
 * when another body replaces it). */
static void set_json_body(kc_req *r, int status, char *buf, size_t len)
{
  free(r->resp_free);
  r->resp_free = buf;
  r->status = status;
  r->content_type = "application/json; charset=utf-8";
  r->resp = buf;
  r->resp_len = len;
}

void kc_req_json(kc_req *r, int status, json_t *j)
{
  char *s = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  if (!s)
    s = kc_xstrdup("");
  set_json_body(r, status, s, strlen(s));
}

void kc_req_jsonw(kc_req *r, int status, kc_jsonw *w)
{
  char *s;
  size_t len;
  if (kc_jsonw_take(w, &s, &len)) {
    kc_req_fail_msg(r, KC_EINTERNAL, NULL, "Kết quả quá lớn; hãy thu hẹp điều kiện lọc");
    return;
  }
  set_json_body(r, status, s, len);
}

void kc_req_list(kc_req *r, json_t *items, int64_t total)
{
  kc_req_json(r, 200, json_pack("{so sI}", "items", items, "total_count", (json_int_t)total));
}

void kc_req_fail_msg(kc_req *r, kc_err e, const char *field, const char *msg)
{
  if (e == KC_ETHROTTLE && r->ctx.retry_after > 0)
    kc_req_add_header(r, "Retry-After", kc_arena_printf(&r->arena, "%d", r->ctx.retry_after));
  json_t *err =
      json_pack("{ss ss so}", "code", kc_err_code(e), "message", msg ? msg : kc_err_message(e),
                "field", field ? json_string(field) : json_null());
  kc_req_json(r, kc_http_status(e), json_pack("{so}", "error", err));
}

void kc_req_fail(kc_req *r, kc_err e)
{
  const char *msg = r->ctx.err == e && r->ctx.err_message ? r->ctx.err_message : NULL;
  const char *field = r->ctx.err == e ? r->ctx.err_field : NULL;
  kc_req_fail_msg(r, e, field, msg);
}

void kc_req_answer(kc_req *r, kc_err e, int status, json_t *out)
{
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, status, out);
}

void kc_req_empty(kc_req *r, int status)
{
  r->status = status;
  r->resp = NULL;
  r->resp_len = 0;
  r->content_type = NULL;
}

bool kc_req_query_int(kc_req *r, const char *name, int64_t lo, int64_t hi, int64_t dflt,
                      int64_t *out)
{
  bool bad = false;
  const char *v = kc_req_query(r, name, &bad);
  if (bad)
    return false;
  if (!v || !*v) {
    *out = dflt;
    return true;
  }
  char *end;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (errno || *end || x < lo || x > hi) {
    kc_req_fail_msg(r, KC_EFIELD, name,
                    kc_arena_printf(&r->arena,
                                    "Tham số %s phải là số nguyên từ %" PRId64 " đến %" PRId64,
                                    name, lo, hi));
    return false;
  }
  *out = x;
  return true;
}

/* Finds the member whose string value contains byte offset `at` of a JSON text, by a small
 * scan that tracks the last key seen; used to name the field when the body has invalid
 * UTF-8 (jansson rejects the whole document without saying where in terms of members). */
static const char *field_at(kc_arena *ar, const char *s, size_t len, size_t at)
{
  const char *key = NULL;
  size_t i = 0;
  while (i < len && i <= at) {
    if (s[i] != '"') {
      i++;
      continue;
    }
    size_t b = ++i;
    while (i < len && s[i] != '"')
      i += s[i] == '\\' ? 2 : 1;
    size_t e = i < len ? i : len;
    i++;
    if (at >= b && at < e)
      return key;
    size_t j = i;
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
      j++;
    if (j < len && s[j] == ':')
      key = kc_arena_strndup(ar, s + b, e - b);
  }
  return key;
}

bool kc_body_object(kc_req *r, json_t **obj)
{
  *obj = NULL;
  if (!r->body_len) {
    kc_req_fail_msg(r, KC_EJSON, NULL, "Thiếu nội dung JSON của yêu cầu");
    return false;
  }
  size_t bad = kc_utf8_valid_prefix(r->body, r->body_len);
  if (bad < r->body_len) {
    const char *f = field_at(&r->arena, r->body, r->body_len, bad);
    kc_req_fail_msg(r, KC_EFIELD, f,
                    f ? kc_arena_printf(&r->arena, "Trường %s chứa byte không phải UTF-8", f)
                      : "Nội dung yêu cầu chứa byte không phải UTF-8");
    return false;
  }
  json_error_t err;
  json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
  if (!j) {
    /* The message is for people (Vietnamese, with the position); the parser's own words
     * go to developers in "detail". */
    json_t *e = json_pack(
        "{ss ss so ss}", "code", kc_err_code(KC_EJSON), "message",
        kc_arena_printf(&r->arena, "JSON không hợp lệ ở dòng %d, cột %d", err.line, err.column),
        "field", json_null(), "detail", err.text);
    kc_req_json(r, 400, json_pack("{so}", "error", e));
    return false;
  }
  if (!json_is_object(j)) {
    json_decref(j);
    kc_req_fail_msg(r, KC_EJSON, NULL, "Nội dung yêu cầu phải là một đối tượng JSON");
    return false;
  }
  *obj = j;
  return true;
}

void kc_req_send_file(kc_req *r, const char *path, const char *filename, const char *fallback,
                      const char *content_type)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st)) {
    if (fd >= 0)
      close(fd);
    kc_req_fail_msg(r, KC_EIO, NULL, "Không đọc được tệp đã lưu");
    return;
  }
  /* RFC 6266 / 5987: an ASCII fallback name and the UTF-8 name percent-encoded */
  char *enc = kc_arena_alloc(&r->arena, strlen(filename) * 3 + 1), *w = enc;
  for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p))
      *w++ = (char)*p;
    else
      w += sprintf(w, "%%%02X", *p);
  }
  *w = 0;
  kc_req_add_header(r, "Content-Disposition",
                    kc_arena_printf(&r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                                    fallback, enc));
  r->content_type = kc_arena_strdup(&r->arena, content_type);
  r->status = 200;
  r->fd = fd;
  r->fd_size = (uint64_t)st.st_size;
}
