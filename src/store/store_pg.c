/* store_pg.c: the PostgreSQL backend (libpq). One PGconn per kc_conn; statements written with
 * `?` are rewritten to `$n` once and prepared server-side once per connection; values go and
 * come back as text. Design and isolation rules: docs/internals/store.md. */
#include "base/log.h"
#include "base/mem.h"
#include "store/driver.h"
#include <assert.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A lock wait longer than this fails with 55P03 (KC_EBUSY), like SQLite's busy timeout, so a
 * stuck transaction elsewhere cannot hang a worker thread for ever. */
#define LOCK_TIMEOUT "10s"
/* The advisory lock that serialises migrations of servers starting together: "kycuong" read
 * as a big-endian integer. */
#define MIGRATE_LOCK_KEY "30251290587000423"
#define SCHEDULER_LOCK_KEY "72017" /* the scheduler runs on one server at a time */

typedef struct pg_db {
  char *url;
} pg_db;

typedef struct pg_conn {
  PGconn *h;
  /* Bumped by every reconnect: a statement prepared under an older generation no longer
   * exists on the server and is prepared again before its next execution. */
  unsigned gen;
  unsigned next_name;
  int64_t changes;
  /* The connection was lost inside a transaction: the transaction is gone, so everything
   * but its ROLLBACK fails until the caller has ended it (see run()). */
  bool lost_tx;
  char err[512];
} pg_conn;

typedef struct pg_param {
  char *v; /* NULL: SQL NULL */
  char num[24];
  bool owned; /* v was malloc'ed (text), else it points at num or is NULL */
} pg_param;

typedef struct pg_stmt {
  pg_conn *c;
  char *sql; /* the rewritten text, with $1..$n */
  char name[24];
  unsigned gen;
  int nparams;
  pg_param *params;
  const char **values; /* scratch array handed to PQexecPrepared */
  PGresult *res;       /* NULL until the first step() */
  int row;
} pg_stmt;

/* ---- connections ---- */

/* Server notices ("relation already exists, skipping", "no transaction in progress") are
 * expected and would otherwise go to stderr through libpq's default processor. */
static void on_notice(void *arg, const char *msg)
{
  size_t n = strlen(msg);
  while (n && msg[n - 1] == '\n')
    n--;
  kc_log_debug("store: postgres: %.*s", (int)n, msg);
}

static void set_err(pg_conn *c, const char *msg)
{
  snprintf(c->err, sizeof c->err, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
  size_t n = strlen(c->err);
  while (n && c->err[n - 1] == '\n')
    c->err[--n] = 0;
}

/* Per-session settings, applied after every (re)connect. */
static bool session_setup(PGconn *h)
{
  PQsetNoticeProcessor(h, on_notice, NULL);
  PGresult *r = PQexec(h, "SET lock_timeout = '" LOCK_TIMEOUT "'");
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  return ok;
}

/* Connects with the URL's parameters, forcing UTF-8 on the wire whatever the server's or the
 * environment's default (keywords after dbname override the URL's). */
static PGconn *connect_url(const char *url)
{
  static const char *const keys[] = {"dbname", "client_encoding", "fallback_application_name",
                                     NULL};
  const char *const vals[] = {url, "UTF8", "kycuong", NULL};
  PGconn *h = PQconnectdbParams(keys, vals, 1);
  if (PQstatus(h) == CONNECTION_OK && !session_setup(h)) {
    PQfinish(h);
    return NULL; /* callers report "session set-up failed" */
  }
  return h;
}

static kc_err pg_open(const char *url, void **db, char *msg, size_t cap)
{
  /* Connect once now so a bad URL or an unreachable server is reported at start-up. */
  PGconn *h = connect_url(url);
  if (!h || PQstatus(h) != CONNECTION_OK) {
    char m[512];
    snprintf(m, sizeof m, "%s", h ? PQerrorMessage(h) : "session set-up failed");
    size_t n = strlen(m);
    while (n && m[n - 1] == '\n')
      m[--n] = 0;
    /* PQerrorMessage never repeats the password; the URL may hold one, so it is not echoed. */
    snprintf(msg, cap, "cannot connect to PostgreSQL: %s", m);
    PQfinish(h);
    return KC_EIO;
  }
  PQfinish(h);
  pg_db *d = kc_xcalloc(1, sizeof *d);
  d->url = kc_xstrdup(url);
  *db = d;
  return KC_OK;
}

static void pg_close(void *db)
{
  pg_db *d = db;
  free(d->url);
  free(d);
}

static kc_err pg_conn_open(void *db, void **conn)
{
  PGconn *h = connect_url(((pg_db *)db)->url);
  if (!h || PQstatus(h) != CONNECTION_OK) {
    kc_log_error("store: cannot connect to PostgreSQL: %s",
                 h ? PQerrorMessage(h) : "session set-up failed");
    PQfinish(h);
    return KC_EIO;
  }
  pg_conn *c = kc_xcalloc(1, sizeof *c);
  c->h = h;
  *conn = c;
  return KC_OK;
}

static void pg_conn_close(void *conn)
{
  pg_conn *c = conn;
  PQfinish(c->h);
  free(c);
}

static const char *pg_errmsg(void *conn)
{
  return ((pg_conn *)conn)->err;
}

/* Reconnects after the server dropped the connection (restart, failover, terminated
 * backend). Every server-side prepared statement is gone with the old session. */
static bool reconnect(pg_conn *c)
{
  c->gen++;
  PQreset(c->h);
  if (PQstatus(c->h) != CONNECTION_OK)
    return false;
  if (!session_setup(c->h))
    return false;
  kc_log_warn("store: reconnected to PostgreSQL");
  return true;
}

/* ---- results and errors ---- */

typedef enum { R_OK, R_ERR, R_LOST } r_kind;

/* Classifies a result; on failure sets *e and the connection's message. SQLSTATE classes:
 * integrity violations are conflicts the domain turns into field errors; serialisation
 * failures, deadlocks and lock time-outs are "busy, try again"; connection loss and
 * administrator shutdown are worth one reconnect. */
static r_kind classify(pg_conn *c, PGresult *r, kc_err *e)
{
  ExecStatusType st = PQresultStatus(r);
  if (r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY))
    return R_OK;
  const char *m = r ? PQresultErrorMessage(r) : "";
  set_err(c, *m ? m : PQerrorMessage(c->h));
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  if (PQstatus(c->h) != CONNECTION_OK ||
      (state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01"))))
    return R_LOST;
  *e = KC_EINTERNAL;
  if (!state)
    return R_ERR;
  if (!strcmp(state, "23505") || !strcmp(state, "23503") || !strcmp(state, "23514") ||
      !strcmp(state, "23502"))
    *e = KC_ECONFLICT;
  else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
    *e = KC_EBUSY;
  return R_ERR;
}

static PGresult *prepare_on_server(pg_stmt *s)
{
  PGresult *r = PQprepare(s->c->h, s->name, s->sql, s->nparams, NULL);
  if (PQresultStatus(r) == PGRES_COMMAND_OK)
    s->gen = s->c->gen;
  return r;
}

/* Runs sql (exec) or statement s (prepared) and returns its result in *out. A connection
 * lost outside a transaction is re-established and the statement retried once: the domain
 * writes only inside transactions, so such a statement is a read, a BEGIN or a lock, which
 * may safely run twice. Lost inside a transaction, the transaction is gone with the session,
 * so the caller gets KC_EBUSY and must roll back. */
static kc_err run(pg_conn *c, pg_stmt *s, const char *sql, PGresult **out)
{
  *out = NULL;
  if (c->lost_tx) {
    /* Only the caller's ROLLBACK (or a new BEGIN) ends the dead transaction; it succeeds
     * trivially. A COMMIT cannot. */
    if (!s && (!strcmp(sql, "ROLLBACK") || !strncmp(sql, "BEGIN", 5))) {
      c->lost_tx = false;
      if (sql[0] == 'R')
        return KC_OK;
    } else {
      set_err(c, "the connection to PostgreSQL was lost during this transaction");
      if (!s && !strcmp(sql, "COMMIT"))
        c->lost_tx = false;
      return KC_EBUSY;
    }
  }
  if (PQstatus(c->h) != CONNECTION_OK && !reconnect(c)) {
    set_err(c, PQerrorMessage(c->h));
    return KC_EBUSY;
  }
  bool idle = PQtransactionStatus(c->h) == PQTRANS_IDLE;
  for (int attempt = 0;; attempt++) {
    PGresult *r = NULL;
    if (s && s->gen != c->gen) {
      r = prepare_on_server(s);
      if (PQresultStatus(r) == PGRES_COMMAND_OK) {
        PQclear(r);
        r = NULL;
      }
    }
    if (!r)
      r = s ? PQexecPrepared(c->h, s->name, s->nparams, s->values, NULL, NULL, 0)
            : PQexec(c->h, sql);
    kc_err e = KC_OK;
    r_kind k = classify(c, r, &e);
    if (k == R_OK) {
      *out = r;
      return KC_OK;
    }
    PQclear(r);
    if (k == R_ERR)
      return e;
    /* Keep libpq's reason, shortened to leave room for ours (the -O2 build checks). */
    char why[sizeof c->err - 64];
    snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, c->err);
    bool back = reconnect(c);
    snprintf(c->err, sizeof c->err, "connection to PostgreSQL lost (%s)%s", why,
             back ? "" : "; reconnecting failed");
    if (!idle) {
      c->lost_tx = true;
      return KC_EBUSY;
    }
    if (!back || attempt)
      return KC_EBUSY;
  }
}

/* changes() is the row count of the last INSERT, UPDATE or DELETE, as in SQLite: reads and
 * transaction control leave it alone. */
static void note_changes(pg_conn *c, PGresult *r)
{
  const char *tag = PQcmdStatus(r);
  if (!strncmp(tag, "INSERT", 6) || !strncmp(tag, "UPDATE", 6) || !strncmp(tag, "DELETE", 6) ||
      !strncmp(tag, "MERGE", 5))
    c->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

static kc_err pg_exec(void *conn, const char *sql)
{
  PGresult *r;
  kc_err e = run(conn, NULL, sql, &r);
  if (!e)
    note_changes(conn, r);
  PQclear(r);
  return e;
}

/* ---- statements ---- */

/* Rewrites `?` placeholders to `$1..$n`, leaving quoted strings, quoted identifiers and
 * comments alone. Returns the new text (malloc) and the count in *n. */
static char *rewrite(const char *sql, int *n)
{
  size_t len = strlen(sql);
  /* Each one-byte `?` grows to at most "$" and 5 digits (PostgreSQL allows 65535). */
  char *out = kc_xmalloc(len * 6 + 1), *w = out;
  int count = 0;
  const char *p = sql;
  while (*p) {
    if (*p == '\'' || *p == '"') {
      /* E'...' strings take backslash escapes; standard ones only doubled quotes. */
      bool esc = *p == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                 (p - 1 == sql || !(p[-2] == '_' || (p[-2] >= '0' && p[-2] <= '9') ||
                                    ((p[-2] | 32) >= 'a' && (p[-2] | 32) <= 'z')));
      char q = *p;
      *w++ = *p++;
      while (*p) {
        if (esc && *p == '\\' && p[1]) {
          *w++ = *p++;
          *w++ = *p++;
          continue;
        }
        if (*p == q && p[1] == q) { /* doubled quote inside */
          *w++ = *p++;
          *w++ = *p++;
          continue;
        }
        if (*p == q)
          break;
        *w++ = *p++;
      }
      if (*p)
        *w++ = *p++;
    } else if (p[0] == '-' && p[1] == '-') {
      while (*p && *p != '\n')
        *w++ = *p++;
    } else if (p[0] == '/' && p[1] == '*') {
      /* PostgreSQL's block comments nest. */
      int depth = 0;
      do {
        if (p[0] == '/' && p[1] == '*') {
          depth++;
          *w++ = *p++;
        } else if (p[0] == '*' && p[1] == '/') {
          depth--;
          *w++ = *p++;
        }
        *w++ = *p++;
      } while (*p && depth);
    } else if (*p == '?') {
      w += sprintf(w, "$%d", ++count);
      p++;
    } else {
      *w++ = *p++;
    }
  }
  *w = 0;
  *n = count;
  return out;
}

static void clear_params(pg_stmt *s)
{
  for (int i = 0; i < s->nparams; i++) {
    if (s->params[i].owned)
      free(s->params[i].v);
    s->params[i].v = NULL;
    s->params[i].owned = false;
  }
}

static kc_err pg_prepare(void *conn, const char *sql, void **stmt)
{
  pg_conn *c = conn;
  pg_stmt *s = kc_xcalloc(1, sizeof *s);
  s->c = c;
  s->sql = rewrite(sql, &s->nparams);
  if (s->nparams > 65535) {
    set_err(c, "too many parameters for PostgreSQL");
    free(s->sql);
    free(s);
    return KC_EINTERNAL;
  }
  snprintf(s->name, sizeof s->name, "kc%u", ++c->next_name);
  s->params = kc_xcalloc((size_t)s->nparams + 1, sizeof *s->params);
  s->values = kc_xcalloc((size_t)s->nparams + 1, sizeof *s->values);
  s->gen = c->gen - 1; /* not on the server yet */
  /* Prepare now so a bad statement is reported by kc_stmt_prepare with its SQL. */
  bool idle = PQtransactionStatus(c->h) == PQTRANS_IDLE;
  kc_err e = KC_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    if (c->lost_tx) {
      set_err(c, "the connection to PostgreSQL was lost during this transaction");
      e = KC_EBUSY;
      break;
    }
    PGresult *r = prepare_on_server(s);
    r_kind k = classify(c, r, &e);
    PQclear(r);
    if (k == R_OK) {
      e = KC_OK;
      break;
    }
    if (k == R_ERR)
      break;
    bool back = reconnect(c);
    e = KC_EBUSY;
    if (!idle) {
      c->lost_tx = true;
      break;
    }
    if (!back)
      break;
  }
  if (e) {
    free(s->params);
    free(s->values);
    free(s->sql);
    free(s);
    return e;
  }
  *stmt = s;
  return KC_OK;
}

static void pg_reset(void *stmt)
{
  pg_stmt *s = stmt;
  PQclear(s->res);
  s->res = NULL;
  s->row = 0;
  clear_params(s);
}

/* Server-side statements are not deallocated: finalize runs only when the connection
 * closes, which drops them all. */
static void pg_finalize(void *stmt)
{
  pg_stmt *s = stmt;
  pg_reset(s);
  free(s->params);
  free(s->values);
  free(s->sql);
  free(s);
}

static pg_param *param(pg_stmt *s, int i)
{
  /* Like sqlite3_bind_*, an index out of range is ignored (the statement then fails or
   * runs with NULL there); a debug build stops at once. */
  assert(i >= 1 && i <= s->nparams);
  if (i < 1 || i > s->nparams)
    return NULL;
  pg_param *p = &s->params[i - 1];
  if (p->owned)
    free(p->v);
  p->v = NULL;
  p->owned = false;
  return p;
}

static void pg_bind_i64(void *stmt, int i, int64_t v)
{
  pg_param *p = param(stmt, i);
  if (!p)
    return;
  snprintf(p->num, sizeof p->num, "%" PRId64, v);
  p->v = p->num;
}

static void pg_bind_text(void *stmt, int i, const char *v, long len)
{
  pg_param *p = param(stmt, i);
  if (!p)
    return;
  /* Text-format parameters are NUL-terminated, so an embedded NUL ends the value. */
  size_t n = len < 0 ? strlen(v) : strnlen(v, (size_t)len);
  p->v = kc_xmalloc(n + 1);
  memcpy(p->v, v, n);
  p->v[n] = 0;
  p->owned = true;
}

static void pg_bind_null(void *stmt, int i)
{
  (void)param(stmt, i);
}

static int pg_params(void *stmt)
{
  return ((pg_stmt *)stmt)->nparams;
}

/* The first step executes the statement and keeps the whole result; later steps walk it. */
static kc_err pg_step(void *stmt, bool *row)
{
  pg_stmt *s = stmt;
  *row = false;
  if (!s->res) {
    for (int i = 0; i < s->nparams; i++)
      s->values[i] = s->params[i].v;
    PGresult *r;
    kc_err e = run(s->c, s, NULL, &r);
    if (e)
      return e;
    note_changes(s->c, r);
    s->res = r;
    s->row = -1;
  }
  if (s->row < PQntuples(s->res))
    s->row++;
  *row = s->row < PQntuples(s->res);
  return KC_OK;
}

static int pg_columns(void *stmt)
{
  pg_stmt *s = stmt;
  return s->res ? PQnfields(s->res) : 0;
}

static bool cell_ok(pg_stmt *s, int col)
{
  return s->res && s->row >= 0 && s->row < PQntuples(s->res) && col >= 0 && col < PQnfields(s->res);
}

static bool pg_is_null(void *stmt, int col)
{
  pg_stmt *s = stmt;
  return !cell_ok(s, col) || PQgetisnull(s->res, s->row, col);
}

/* Integers come as decimal text. Booleans come as "t"/"f" and read as 1/0, the way SQLite
 * stores them. */
static int64_t pg_col_i64(void *stmt, int col)
{
  pg_stmt *s = stmt;
  if (!cell_ok(s, col))
    return 0;
  const char *v = PQgetvalue(s->res, s->row, col);
  if (v[0] == 't' && !v[1])
    return 1;
  return strtoll(v, NULL, 10);
}

static const char *pg_col_text(void *stmt, int col)
{
  pg_stmt *s = stmt;
  if (!cell_ok(s, col) || PQgetisnull(s->res, s->row, col))
    return NULL;
  return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_changes(void *conn)
{
  return ((pg_conn *)conn)->changes;
}

static const char *pg_col_name(void *stmt, int col)
{
  pg_stmt *s = stmt;
  return s->res && col >= 0 && col < PQnfields(s->res) ? PQfname(s->res, col) : NULL;
}

/* Type OIDs of int8, int2 and int4 (pg_type.h, stable since PostgreSQL 7). */
static bool pg_col_is_int(void *stmt, int col)
{
  pg_stmt *s = stmt;
  if (!s->res || col < 0 || col >= PQnfields(s->res))
    return false;
  Oid t = PQftype(s->res, col);
  return t == 20 || t == 21 || t == 23;
}

const kc_store_driver kc_store__pg = {
    .name = "postgres",
    .pk_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .ctext_type = "TEXT COLLATE \"C\"",
    /* Writers serialise where they must through row locks (audit_head) and versioned
     * UPDATEs; see docs/internals/store.md. */
    .begin_write = "BEGIN ISOLATION LEVEL READ COMMITTED",
    /* One snapshot for every statement of a read-only transaction. */
    .begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    /* Without a lock wait limit: a long migration must not make other servers give up. */
    .migrate_lock = "SET lock_timeout = 0; SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
    /* session-level and re-entrant: the scheduler's connection keeps it for its life, and a
     * server that dies drops it with its connection, so another server takes over */
    .singleton_sql = "SELECT pg_try_advisory_lock(" SCHEDULER_LOCK_KEY ")",
    .migrate_unlock =
        "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY "); SET lock_timeout = '" LOCK_TIMEOUT "'",
    .open = pg_open,
    .close = pg_close,
    .conn_open = pg_conn_open,
    .conn_close = pg_conn_close,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_i64 = pg_bind_i64,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .params = pg_params,
    .step = pg_step,
    .columns = pg_columns,
    .is_null = pg_is_null,
    .col_i64 = pg_col_i64,
    .col_text = pg_col_text,
    .changes = pg_changes,
    .col_name = pg_col_name,
    .col_is_int = pg_col_is_int,
    .list_tables = "SELECT table_name FROM information_schema.tables "
                   "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                   "ORDER BY table_name",
    /* setval(..., false): the next generated value is MAX + 1 (1 on an empty table). */
    .reset_identity = "SELECT setval(pg_get_serial_sequence('@T@', '@C@'), "
                      "COALESCE(MAX(@C@), 0) + 1, false) FROM @T@",
    .backup = NULL, /* pg_dump / pg_basebackup: docs/deploy.md */
};
