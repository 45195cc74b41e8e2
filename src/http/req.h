/* req.h: one HTTP request as handlers see it: its arena, parsed parameters, the acting
 * account and the domain context, and the response being built. MHD types stay in server.c. */
#ifndef KC_HTTP_REQ_H
#define KC_HTTP_REQ_H
#include "base/config.h"
#include "base/jsonw.h"
#include "base/mem.h"
#include "domain/core/ctx.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define KC_BODY_MAX (64 * 1024)
/* Documents uploaded to the directive reader (.docx, PDF) may be larger. */
#define KC_BODY_MAX_DOCUMENT (8 * 1024 * 1024)
#define KC_REQ_MAX_HEADERS 8

typedef struct kc_server kc_server;
typedef struct kc_route kc_route;
struct kc_workcal_cache;

typedef struct kc_req {
  kc_server *srv;
  const kc_config *cfg;
  struct kc_workcal_cache *workcal; /* the process's working-day calendar */
  void *conn;                       /* the MHD connection; only server.c uses it */
  kc_arena arena;
  const char *method, *path, *addr;
  char *body;
  size_t body_len, body_cap, body_room;
  bool body_too_big;
  const kc_route *route;
  int64_t id; /* the :id path parameter, if the route has one */
  kc_actor actor;
  bool via_cookie;
  const char *csrf;
  kc_ctx ctx;
  /* response */
  int status;
  char *resp;
  size_t resp_len;
  char *resp_free; /* a malloc'd body (JSON answers), freed when the request completes */
  const char *content_type;
  int fd; /* static file to send, or -1 */
  uint64_t fd_size;
  int nheaders;
  const char *hname[KC_REQ_MAX_HEADERS], *hvalue[KC_REQ_MAX_HEADERS];
  uint64_t t0_ns;
  uint64_t db_ns0; /* the connection's DB time when the request started using it */
} kc_req;

/* A query-string argument, URL-decoded; NULL when absent. Invalid UTF-8 makes the request
 * fail with 400 naming the parameter (*bad set true). */
const char *kc_req_query(kc_req *r, const char *name, bool *bad);
/* An integer query argument in [lo, hi] with a default; false (and a 400 answer prepared)
 * when present but malformed or out of range. */
bool kc_req_query_int(kc_req *r, const char *name, int64_t lo, int64_t hi, int64_t dflt,
                      int64_t *out);
/* A request header; NULL when absent. */
const char *kc_req_header(kc_req *r, const char *name);
const char *kc_req_cookie(kc_req *r, const char *name);
/* Adds a response header (name and value must live as long as the request). */
void kc_req_add_header(kc_req *r, const char *name, const char *value);

/* Answers with JSON (takes ownership of j). */
void kc_req_json(kc_req *r, int status, json_t *j);
/* Answers {"items": items, "total_count": total} (takes ownership of items). */
void kc_req_list(kc_req *r, json_t *items, int64_t total);
/* Answers with the JSON text of a writer, which is left empty; a writer past its cap answers
 * 500 (internal) instead. */
void kc_req_jsonw(kc_req *r, int status, kc_jsonw *w);
/* The largest JSON answer a writer may produce (a page of 500 tasks with long contents
 * stays well below it). */
#define KC_RESP_MAX_JSON (64 * 1024 * 1024)
/* Answers an error from the code and the message/field recorded in r->ctx. */
void kc_req_fail(kc_req *r, kc_err e);
/* Answers an error with an explicit message and field. */
void kc_req_fail_msg(kc_req *r, kc_err e, const char *field, const char *msg);
/* Answers out with status when e is KC_OK (taking ownership), else the error of e. */
void kc_req_answer(kc_req *r, kc_err e, int status, json_t *out);
/* Answers with no body. */
void kc_req_empty(kc_req *r, int status);
/* Answers with a stored file as a download: Content-Disposition with the ASCII fallback
 * `fallback` and the UTF-8 `filename` (RFC 6266 / 5987), the given Content-Type. 500 with a
 * Vietnamese message when the file cannot be opened. */
void kc_req_send_file(kc_req *r, const char *path, const char *filename, const char *fallback,
                      const char *content_type);
/* The HTTP status of an error code. */
int kc_http_status(kc_err e);

/* Parses the body as a JSON object (*obj is then the caller's); on failure prepares the 400
 * answer (invalid_json, or invalid_field naming the member holding invalid UTF-8) and returns
 * false. Its members are read by a field table (http/fields.h). */
bool kc_body_object(kc_req *r, json_t **obj);

#endif
