/* store.h: kycuong's one database interface (design.md §5). A kc_db names a database and
 * opens connections; each worker thread uses its own kc_conn. Statements are written once in
 * the SQL subset SQLite 3.40 and PostgreSQL 15 share, with `?` placeholders, and prepared once
 * per connection (the connection caches them by their SQL text's address, so pass string
 * literals). A driver (store_sqlite.c; store_pg.c later) implements kc_store_driver. */
#ifndef KC_STORE_STORE_H
#define KC_STORE_STORE_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kc_db kc_db;
typedef struct kc_conn kc_conn;
typedef struct kc_stmt kc_stmt;

/* Opens (or creates) the database named by url: a file path for SQLite. Does not migrate.
 * On error *out is NULL and msg (cap bytes) says why, for a developer. */
kc_err kc_db_open(const char *url, kc_db **out, char *msg, size_t cap) KC_WUR;
/* Closes the database. Every connection must have been closed first. NULL-safe. */
void kc_db_close(kc_db *db);
/* The backend's name: "sqlite" or "postgres". */
const char *kc_db_backend(const kc_db *db);

/* Opens a new connection. The caller owns it and closes it with kc_conn_close. */
kc_err kc_conn_open(kc_db *db, kc_conn **out) KC_WUR;
void kc_conn_close(kc_conn *c);
/* A developer-facing description of the last error on this connection. */
const char *kc_conn_errmsg(kc_conn *c);
/* Nanoseconds this connection has spent in the database since it opened (for /metrics). */
uint64_t kc_conn_db_nanos(kc_conn *c);

/* Transactions. kc_conn_begin(c, true) starts a write transaction that holds the write lock
 * from the start (SQLite BEGIN IMMEDIATE), so read-modify-write sequences cannot deadlock.
 * Nesting is not supported. kc_conn_rollback is NULL-safe and a no-op outside a transaction. */
kc_err kc_conn_begin(kc_conn *c, bool write) KC_WUR;
kc_err kc_conn_commit(kc_conn *c) KC_WUR;
void kc_conn_rollback(kc_conn *c);
bool kc_conn_in_tx(const kc_conn *c);

/* Runs SQL without parameters or results (DDL, migrations). Several statements allowed. */
kc_err kc_conn_exec(kc_conn *c, const char *sql) KC_WUR;

/* Whether this connection may run the scheduler: on PostgreSQL it takes (or already holds)
 * an advisory lock that lives as long as the connection, so among several servers exactly
 * one runs the passes, and another takes over when that one dies. Always true on SQLite. */
kc_err kc_conn_try_singleton(kc_conn *c, bool *held) KC_WUR;

/* Refreshes the planner's statistics (after bulk loads). */
kc_err kc_store_analyze(kc_conn *c) KC_WUR;

/* Returns the cached prepared statement for sql (a string literal), reset and with its
 * bindings cleared. The statement belongs to the connection; do not free it. */
kc_err kc_stmt_prepare(kc_conn *c, const char *sql, kc_stmt **out) KC_WUR;
/* Binds parameter i (1-based). Text is copied; len < 0 means NUL-terminated. */
void kc_stmt_bind_i64(kc_stmt *s, int i, int64_t v);
void kc_stmt_bind_text(kc_stmt *s, int i, const char *v, long len);
void kc_stmt_bind_null(kc_stmt *s, int i);
/* Binds v, or NULL when v equals `none` (0 for ids and instants, -1 for counts that may be 0). */
void kc_stmt_bind_opt_i64(kc_stmt *s, int i, int64_t v, int64_t none);
/* Binds text or NULL when v is NULL. */
void kc_stmt_bind_opt_text(kc_stmt *s, int i, const char *v);

/* Binding every parameter at once, in order, so that no call site counts placeholders:
 *     kc_stmt_bind_vals(s, KC_I64(unit_id), KC_TXT(name), KC_OPT_TXT(note));
 * binds ?1, ?2, ?3. The number of values must equal the statement's placeholders (an assert,
 * like SQLite's own API misuse checks). */
typedef enum { KC_VAL_I64, KC_VAL_TEXT, KC_VAL_NULL } kc_val_kind;
typedef struct kc_val {
  kc_val_kind kind;
  int64_t i;
  const char *s; /* NUL-terminated, copied when bound */
} kc_val;
#define KC_I64(v) ((kc_val){.kind = KC_VAL_I64, .i = (v)})
#define KC_TXT(v) ((kc_val){.kind = KC_VAL_TEXT, .s = (v)})
#define KC_NULL ((kc_val){.kind = KC_VAL_NULL})
/* NULL when v is NULL / when v equals `none`, as kc_stmt_bind_opt_text / _opt_i64. */
#define KC_OPT_TXT(v) kc_val_opt_text(v)
#define KC_OPT_I64(v, none) kc_val_opt_i64((v), (none))
static inline kc_val kc_val_opt_text(const char *v)
{
  return v ? KC_TXT(v) : KC_NULL;
}
static inline kc_val kc_val_opt_i64(int64_t v, int64_t none)
{
  return v == none ? KC_NULL : KC_I64(v);
}
void kc_stmt_bind_array(kc_stmt *s, const kc_val *v, size_t n);
#define kc_stmt_bind_vals(s, ...)                                                                  \
  kc_stmt_bind_array((s), (const kc_val[]){__VA_ARGS__},                                           \
                     sizeof((const kc_val[]){__VA_ARGS__}) / sizeof(kc_val))
/* The number of `?` placeholders of s. */
int kc_stmt_params(kc_stmt *s);
/* A query's first two steps in one: kc_stmt_prepare, then (when it succeeded) every
 * placeholder bound as by kc_stmt_bind_vals:
 *     e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
 * For statements without placeholders, kc_stmt_prepare. */
kc_err kc_stmt_query_array(kc_conn *c, const char *sql, kc_stmt **out, const kc_val *v,
                           size_t n) KC_WUR;
#define kc_stmt_query(c, sql, out, ...)                                                            \
  kc_stmt_query_array((c), (sql), (out), (const kc_val[]){__VA_ARGS__},                            \
                      sizeof((const kc_val[]){__VA_ARGS__}) / sizeof(kc_val))

/* Steps: KC_OK with *row true when a row is ready, *row false when done. Constraint
 * violations come back as KC_ECONFLICT, lock time-outs as KC_EBUSY. */
kc_err kc_stmt_step(kc_stmt *s, bool *row) KC_WUR;
/* Steps to completion, ignoring rows. */
kc_err kc_stmt_run(kc_stmt *s) KC_WUR;
int kc_stmt_columns(kc_stmt *s);
bool kc_stmt_is_null(kc_stmt *s, int col);
int64_t kc_stmt_i64(kc_stmt *s, int col);
/* Text of a column (0-based), valid until the next step or reset; "" for NULL. */
const char *kc_stmt_text(kc_stmt *s, int col);
/* Rows changed by the last INSERT/UPDATE/DELETE on this statement's connection. */
int64_t kc_stmt_changes(kc_stmt *s);
/* Resets the statement (releases read locks); done automatically by the next prepare. */
void kc_stmt_reset(kc_stmt *s);

/* Statements whose SQL is built at run time (the table copier's): not cached, so the text
 * may be freed after preparing; the caller frees the statement with kc_stmt_free before
 * closing the connection. Use kc_stmt_prepare for everything written as a literal. */
kc_err kc_stmt_prepare_dynamic(kc_conn *c, const char *sql, kc_stmt **out) KC_WUR;
void kc_stmt_free(kc_stmt *s);
/* The name of result column col (0-based) and whether its value is an integer (SQLite: the
 * value's storage class; PostgreSQL: the column's type). Valid after a step. */
const char *kc_stmt_col_name(kc_stmt *s, int col);
bool kc_stmt_col_is_int(kc_stmt *s, int col);

/* The SQL that lists the database's own tables (one name per row), in the backend's
 * catalog dialect. */
const char *kc_conn_list_tables_sql(const kc_conn *c);
/* Moves the identity sequence of table.column past its largest value after rows were
 * inserted with explicit ids (PostgreSQL); a no-op on SQLite. table and column must be
 * trusted identifiers (the copier's static list). */
kc_err kc_conn_reset_identity(kc_conn *c, const char *table, const char *column) KC_WUR;

/* Online backup. progress (may be NULL) is called after each step with the pages copied so
 * far and the total. */
typedef void (*kc_backup_progress)(void *arg, int64_t done, int64_t total);
/* Copies the whole database, as one consistent snapshot, into the new file dest while other
 * connections (a running server) keep reading and writing. SQLite only (the online backup
 * API); returns KC_EBADREQ for a backend that has its own tools (PostgreSQL: pg_dump), and
 * KC_EFIELD when dest exists or is the database itself. msg (cap bytes) says why, for a
 * developer. The copy is written to dest.part and renamed when complete. */
kc_err kc_db_backup(kc_db *db, const char *dest, kc_backup_progress progress, void *arg, char *msg,
                    size_t cap) KC_WUR;

/* Brings the schema up to the newest migration compiled into the binary, each migration in
 * its own transaction. from and to report the versions (may be NULL). */
kc_err kc_store_migrate(kc_conn *c, int *from, int *to) KC_WUR;
/* The schema version of the database (0 when empty). */
kc_err kc_store_schema_version(kc_conn *c, int *out) KC_WUR;
/* The newest schema version this binary knows. */
int kc_store_latest_version(void);

#endif
