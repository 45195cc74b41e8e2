/* driver.h: the table of functions a storage backend provides (Dovecot lib-sql style).
 * Only store.c and the driver files include this. */
#ifndef KC_STORE_DRIVER_H
#define KC_STORE_DRIVER_H
#include "store/store.h"

typedef struct kc_store_driver {
  const char *name;
  /* Expands the dialect macros of a migration (@PK@, @BLOB@, ...). */
  const char *pk_type;     /* integer primary key with automatic values */
  const char *ctext_type;  /* text compared bytewise (memcmp order) */
  const char *begin_write; /* starts a transaction that takes the write lock at once */
  const char *begin_read;
  /* Run around kc_store_migrate's work so that servers starting together migrate one at a
   * time (PostgreSQL advisory lock); NULL when the backend needs nothing. */
  const char *migrate_lock;
  const char *migrate_unlock;
  /* A query answering one boolean row: whether this connection holds (or just took) the
   * scheduler's lock, which the server releases when the connection ends. NULL when the
   * backend has one writer process anyway (SQLite). */
  const char *singleton_sql;
  kc_err (*open)(const char *url, void **db, char *msg, size_t cap);
  void (*close)(void *db);
  kc_err (*conn_open)(void *db, void **conn);
  void (*conn_close)(void *conn);
  const char *(*errmsg)(void *conn);
  kc_err (*exec)(void *conn, const char *sql);
  kc_err (*prepare)(void *conn, const char *sql, void **stmt);
  void (*finalize)(void *stmt);
  void (*reset)(void *stmt);
  void (*bind_i64)(void *stmt, int i, int64_t v);
  void (*bind_text)(void *stmt, int i, const char *v, long len);
  void (*bind_null)(void *stmt, int i);
  int (*params)(void *stmt); /* the number of `?` placeholders */
  kc_err (*step)(void *stmt, bool *row);
  int (*columns)(void *stmt);
  bool (*is_null)(void *stmt, int col);
  int64_t (*col_i64)(void *stmt, int col);
  const char *(*col_text)(void *stmt, int col);
  int64_t (*changes)(void *conn);
  /* Column metadata of the current result (valid after the first step): the column's name,
   * and whether its value is an integer (SQLite: the value's storage class; PostgreSQL: the
   * column's type). Used by the schema-agnostic table copier (copy.c). */
  const char *(*col_name)(void *stmt, int col);
  bool (*col_is_int)(void *stmt, int col);
  /* A query listing the names of the database's own tables, one per row. */
  const char *list_tables;
  /* After rows were inserted with explicit ids: the statement that moves the identity
   * sequence of column @C@ of table @T@ past the largest id; NULL when the backend needs
   * nothing (SQLite's INTEGER PRIMARY KEY continues from MAX(rowid)). */
  const char *reset_identity;
  /* A consistent online copy of the whole database into the file dest (see
   * kc_db_backup); NULL when the backend has its own tools (PostgreSQL: pg_dump). */
  kc_err (*backup)(void *db, const char *dest, kc_backup_progress progress, void *arg, char *msg,
                   size_t cap);
} kc_store_driver;

extern const kc_store_driver kc_store__sqlite;
#ifdef KC_HAVE_PG
extern const kc_store_driver kc_store__pg;
#endif

#endif
