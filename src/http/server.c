/* server.c: libmicrohttpd glue. MHD calls answer() several times per request: first with
 * the headers (we set up the request and its arena), then with chunks of the body (we copy
 * them, up to KC_BODY_MAX), then once more with nothing (we dispatch and queue the answer).
 * completed() frees the request when MHD is done with it. */
#include "http/server.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/utf8.h"
#include "domain/core/workcal.h"
#include "domain/org/auth.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct kc_server {
  const kc_config *cfg;
  kc_db *db;
  struct MHD_Daemon *mhd;
  kc_metrics metrics;
  kc_workcal_cache *workcal;
  int port;
  /* every worker thread's connection, closed at stop */
  pthread_mutex_t lock;
  kc_conn **conns;
  size_t nconns, capconns;
  pthread_key_t conn_key;
};

static uint64_t mono_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The database connection of the calling worker thread, opened on first use. */
static kc_conn *thread_conn(kc_server *s)
{
  kc_conn *c = pthread_getspecific(s->conn_key);
  if (c)
    return c;
  if (kc_conn_open(s->db, &c) != KC_OK) {
    kc_log_error("http: cannot open a database connection");
    return NULL;
  }
  pthread_mutex_lock(&s->lock);
  if (s->nconns == s->capconns) {
    s->capconns = s->capconns ? s->capconns * 2 : 8;
    s->conns = kc_xrealloc(s->conns, s->capconns * sizeof *s->conns);
  }
  s->conns[s->nconns++] = c;
  pthread_mutex_unlock(&s->lock);
  pthread_setspecific(s->conn_key, c);
  return c;
}

const char *kc_req_header(kc_req *r, const char *name)
{
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *kc_req_cookie(kc_req *r, const char *name)
{
  return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *kc_req_query(kc_req *r, const char *name, bool *bad)
{
  const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
  if (v && (!kc_utf8_is_clean_text(v, strlen(v)) || strlen(v) > 1000)) {
    *bad = true;
    kc_req_fail_msg(
        r, KC_EFIELD, name,
        kc_arena_printf(&r->arena, "Tham số %s không hợp lệ (UTF-8, tối đa 1000 byte)", name));
    return NULL;
  }
  return v;
}

static bool is_write(const char *m)
{
  return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

/* Authenticates the request: bearer token, else session cookie. Sets r->actor. */
static kc_err authenticate(kc_req *r)
{
  const char *auth = kc_req_header(r, "Authorization");
  if (auth && !strncasecmp(auth, "Bearer ", 7))
    return kc_auth_bearer(&r->ctx, auth + 7, &r->actor);
  const char *cookie = kc_req_cookie(r, "kc_session");
  if (!cookie)
    return kc_ctx_code(&r->ctx, KC_EAUTH);
  kc_err e = kc_auth_session(&r->ctx, cookie, &r->actor, &r->csrf);
  if (!e)
    r->via_cookie = true;
  return e;
}

static void dispatch_api(kc_req *r)
{
  bool known;
  r->route = kc_route_match(r->method, r->path, &r->id, &known);
  if (!r->route) {
    if (known) {
      kc_req_fail_msg(r, KC_EBADREQ, NULL, "Phương thức HTTP không được hỗ trợ cho đường dẫn này");
      r->status = 405;
    } else
      kc_req_fail_msg(r, KC_ENOTFOUND, NULL, "Không có API này");
    return;
  }
  r->ctx.conn = thread_conn(r->srv);
  if (!r->ctx.conn) {
    kc_req_fail(r, KC_EBUSY);
    return;
  }
  r->db_ns0 = kc_conn_db_nanos(r->ctx.conn);
  if (!kc_route_public(r->route)) {
    kc_err e = authenticate(r);
    if (e) {
      kc_req_fail(r, e);
      return;
    }
    r->ctx.actor = &r->actor;
    /* The route's declared roles, before anything is read or parsed: a role the route does
     * not name gets 403 whatever the id or the body (the domain still checks the row). */
    if (!kc_route_allows(r->route, r->actor.role)) {
      kc_req_fail_msg(r, KC_EFORBIDDEN, NULL,
                      kc_arena_printf(&r->arena,
                                      "Tài khoản vai trò «%s» không được dùng chức năng này",
                                      kc_role_label(r->actor.role)));
      return;
    }
    /* A browser sends the cookie with any request, including forged cross-site ones; the
     * CSRF token proves the page that sent it was ours. Bearer tokens are not sent
     * implicitly, so they need none. */
    if (r->via_cookie && is_write(r->method)) {
      const char *t = kc_req_header(r, "X-CSRF-Token");
      if (!t || !r->csrf || !kc_crypto_streq(t, r->csrf)) {
        kc_req_fail(r, KC_ECSRF);
        return;
      }
    }
  }
  if (r->body_too_big) {
    kc_req_fail_msg(
        r, KC_ETOOLARGE, NULL,
        kc_arena_printf(&r->arena, "Dữ liệu gửi lên vượt quá %zu KiB", r->body_cap / 1024));
    return;
  }
  r->route->handler(r);
  if (r->ctx.conn && kc_conn_in_tx(r->ctx.conn)) {
    kc_log_error("http: %s %s left a transaction open; rolled back", r->method, r->path);
    kc_conn_rollback(r->ctx.conn);
  }
}

static void dispatch(kc_req *r)
{
  if (!strcmp(r->path, "/healthz")) {
    kc_req_json(r, 200, json_pack("{ss}", "status", "ok"));
  } else if (!strcmp(r->path, "/metrics")) {
    r->resp = kc_metrics_render(&r->srv->metrics, &r->arena, &r->resp_len);
    r->status = 200;
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
  } else if (!strncmp(r->path, "/api/", 5)) {
    dispatch_api(r);
  } else if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) {
    kc_static_serve(r, r->cfg->web_dir, kc_req_header(r, "If-None-Match"));
  } else {
    kc_req_fail_msg(r, KC_EBADREQ, NULL, "Phương thức HTTP không được hỗ trợ");
    r->status = 405;
  }
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, kc_req *r)
{
  struct MHD_Response *resp;
  if (r->fd >= 0)
    resp = MHD_create_response_from_fd64(r->fd_size, r->fd);
  else
    resp = MHD_create_response_from_buffer(r->resp_len, r->resp, MHD_RESPMEM_PERSISTENT);
  if (!resp)
    return MHD_NO;
  r->fd = -1; /* now owned by the response */
  if (r->content_type)
    MHD_add_response_header(resp, "Content-Type", r->content_type);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
  if (!strncmp(r->path, "/api/", 5)) {
    MHD_add_response_header(resp, "Cache-Control", "no-store");
  } else {
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }
  for (int i = 0; i < r->nheaders; i++)
    MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
  enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static void addr_of(struct MHD_Connection *conn, char *buf, size_t cap)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(buf, cap, "?");
  if (!ci || !ci->client_addr)
    return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
              (socklen_t)cap);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
              (socklen_t)cap);
}

/* Whether addr is one of the comma-separated addresses in list. */
static bool proxy_trusted(const char *list, const char *addr)
{
  size_t n = strlen(addr);
  for (const char *p = list; *p;) {
    while (*p == ' ' || *p == ',')
      p++;
    size_t len = strcspn(p, ", ");
    if (len == n && !strncmp(p, addr, n))
      return true;
    p += len;
  }
  return false;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
  kc_server *s = cls;
  kc_req *r = *con_cls;
  if (!r) {
    r = kc_xcalloc(1, sizeof *r);
    kc_arena_init(&r->arena);
    r->srv = s;
    r->cfg = s->cfg;
    r->workcal = s->workcal;
    r->conn = conn;
    r->fd = -1;
    r->t0_ns = mono_ns();
    r->method = kc_arena_strdup(&r->arena, method);
    r->path = kc_arena_strdup(&r->arena, url);
    char addr[64];
    addr_of(conn, addr, sizeof addr);
    /* Behind a proxy the connection is the proxy's: believe its X-Real-IP (the address it
     * saw), and only when the connection comes from a proxy the configuration names. */
    const char *real = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Real-IP");
    if (real && *s->cfg->trusted_proxies && proxy_trusted(s->cfg->trusted_proxies, addr)) {
      struct in_addr ia;
      struct in6_addr ia6;
      if (inet_pton(AF_INET, real, &ia) == 1 || inet_pton(AF_INET6, real, &ia6) == 1)
        snprintf(addr, sizeof addr, "%s", real);
    }
    r->addr = kc_arena_strdup(&r->arena, addr);
    r->ctx.arena = &r->arena;
    r->ctx.cfg = s->cfg;
    r->ctx.workcal = s->workcal;
    r->ctx.now = kc_clock_now(&(kc_clock){.fixed = s->cfg->fixed_now, .fixed_at = s->cfg->now});
    *con_cls = r;
    /* Refuse an announced oversize body before reading it. */
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    /* documents (the directive reader, attachments, procedures' forms) may be large; everything
     * else is small JSON */
    size_t ul = strlen(url);
    bool document =
        !strcmp(url, "/api/v1/directives/extract") || !strcmp(url, "/api/v1/directives/confirm") ||
        !strcmp(url, "/api/v1/procedures/import") ||
        (ul > 12 && !strcmp(url + ul - 12, "/attachments") && !strcmp(method, "POST")) ||
        (ul > 5 && !strcmp(url + ul - 5, "/form") && !strcmp(method, "POST"));
    r->body_cap = document ? KC_BODY_MAX_DOCUMENT : KC_BODY_MAX;
    if (cl && strtoull(cl, NULL, 10) > r->body_cap)
      r->body_too_big = true;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!r->body_too_big) {
      if (r->body_len + *upload_size > r->body_cap) {
        r->body_too_big = true;
      } else {
        /* grow geometrically: a document arrives in many chunks */
        size_t need = r->body_len + *upload_size + 1;
        if (need > r->body_room) {
          size_t room = r->body_room ? r->body_room * 2 : 4096;
          while (room < need)
            room *= 2;
          char *nb = kc_arena_alloc(&r->arena, room);
          if (r->body_len)
            memcpy(nb, r->body, r->body_len);
          r->body = nb;
          r->body_room = room;
        }
        memcpy(r->body + r->body_len, upload, *upload_size);
        r->body_len += *upload_size;
        r->body[r->body_len] = 0;
      }
    }
    *upload_size = 0;
    return MHD_YES;
  }
  dispatch(r);
  return send_answer(conn, r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
  kc_server *s = cls;
  kc_req *r = *con_cls;
  if (!r)
    return;
  uint64_t us = (mono_ns() - r->t0_ns) / 1000;
  /* completed() runs on the thread that served the request, so its connection's clock
   * is the one the request advanced. */
  uint64_t db_ns = r->ctx.conn ? kc_conn_db_nanos(r->ctx.conn) - r->db_ns0 : 0;
  kc_metrics_record(&s->metrics, kc_route_index(r->route), r->status, us, db_ns);
  if (s->cfg->access_log)
    kc_log_info("%s %s %s %d %" PRIu64 "us %zu", r->addr, r->method, r->path, r->status, us,
                r->resp_len);
  if (r->fd >= 0)
    close(r->fd);
  free(r->resp_free);
  kc_arena_free(&r->arena);
  free(r);
  *con_cls = NULL;
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decoding of paths and query arguments, except that "%00" is left as it is: a
 * decoded NUL would cut "/index.html%00.css" to "/index.html" in every C string after it. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
  char *w = s;
  for (const char *p = s; *p;) {
    int hi = p[0] == '%' ? hexval(p[1]) : -1;
    int lo = hi >= 0 ? hexval(p[2]) : -1;
    if (lo >= 0 && (hi | lo)) {
      *w++ = (char)(hi * 16 + lo);
      p += 3;
    } else {
      *w++ = *p++;
    }
  }
  *w = 0;
  return (size_t)(w - s);
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  msg[strcspn(msg, "\n")] = 0;
  kc_log_warn("mhd: %s", msg);
}

kc_err kc_server_start(const kc_config *cfg, kc_db *db, kc_server **out)
{
  *out = NULL;
  char host[128];
  snprintf(host, sizeof host, "%s", cfg->listen);
  char *colon = strrchr(host, ':');
  if (!colon) {
    kc_log_error("listen address must be ADDR:PORT, got %s", cfg->listen);
    return KC_EBADREQ;
  }
  *colon = 0;
  int port = atoi(colon + 1);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
    kc_log_error("bad listen address %s (expected IPv4 ADDR:PORT)", cfg->listen);
    return KC_EBADREQ;
  }
  kc_server *s = kc_xcalloc(1, sizeof *s);
  s->cfg = cfg;
  s->db = db;
  s->metrics.started_at = (int64_t)time(NULL);
  s->workcal = kc_workcal_cache_new();
  pthread_mutex_init(&s->lock, NULL);
  pthread_key_create(&s->conn_key, NULL);
  unsigned threads =
      cfg->threads > 0 ? (unsigned)cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
  if (threads < 1)
    threads = 1;
  s->mhd = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
      NULL, answer, s, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout,
      MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
      MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
  if (!s->mhd) {
    kc_log_error("cannot listen on %s (address in use or not permitted)", cfg->listen);
    pthread_key_delete(s->conn_key);
    pthread_mutex_destroy(&s->lock);
    kc_workcal_cache_free(s->workcal);
    free(s);
    return KC_EIO;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : port;
  kc_log_info("listening on http://%s:%d with %u worker threads", host, s->port, threads);
  *out = s;
  return KC_OK;
}

void kc_server_stop(kc_server *s)
{
  if (!s)
    return;
  MHD_stop_daemon(s->mhd);
  for (size_t i = 0; i < s->nconns; i++)
    kc_conn_close(s->conns[i]);
  free(s->conns);
  kc_workcal_cache_free(s->workcal);
  pthread_key_delete(s->conn_key);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

int kc_server_port(const kc_server *s)
{
  return s->port;
}

kc_workcal_cache *kc_server_workcal(kc_server *s)
{
  return s->workcal;
}
