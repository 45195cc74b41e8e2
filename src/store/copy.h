/* copy.h: the schema-agnostic table copier behind `kycuong export` and `kycuong import`
 * (docs/export-format.md). It knows the tables only from the static list in tables.c (kept
 * next to the migrations' version numbers, in dependency order) and copies every column as
 * text, integer or NULL, so a new column needs no code here; a new table needs one line in
 * tables.c, and kc_copy_check refuses to run until it has it. */
#ifndef KC_STORE_COPY_H
#define KC_STORE_COPY_H
#include "store/store.h"

typedef struct kc_copy_table {
  const char *name;
  /* Comma-separated columns that order the rows and page through them (a unique key). Rows
   * are written in this order; for a table referring to itself it must put a referenced row
   * before the rows referring to it (units: depth, id). */
  const char *key;
  const char *identity; /* the identity column whose sequence continues after import, or NULL */
  bool seeded;          /* a migration inserts its rows: import replaces them */
  int since;            /* the schema version that created the table */
} kc_copy_table;

/* Every table of the newest schema, in dependency order (a table after those it refers
 * to), except schema_version, which each database keeps for itself. */
extern const kc_copy_table kc_copy_tables[];
extern const int kc_copy_table_count;

/* The list's entry for name, or NULL. *index (may be NULL) receives its position. */
const kc_copy_table *kc_copy_find(const char *name, int *index);

/* Checks that the database's tables are exactly the list's tables of schema version
 * `version`; otherwise KC_EINTERNAL with the first difference in msg (a developer's error:
 * a migration added a table without adding it to tables.c). */
kc_err kc_copy_check(kc_conn *c, int version, char *msg, size_t cap) KC_WUR;

/* One value of a row: NULL, an integer (text holds its decimal digits) or text. */
typedef struct kc_copy_value {
  const char *text;
  bool is_null, is_int;
} kc_copy_value;

/* Rows of a table, ordered by its key, ncols values named by names. Return non-zero to stop
 * (that error is returned by kc_copy_read). The pointers are valid during the call only. */
typedef kc_err (*kc_copy_row_fn)(void *arg, int ncols, const char *const *names,
                                 const kc_copy_value *vals);

/* The number of rows of t. */
kc_err kc_copy_count(kc_conn *c, const kc_copy_table *t, int64_t *n) KC_WUR;
/* Calls fn for every row of t, reading pages of a few thousand rows by key (memory stays
 * bounded on big tables). Run inside a read transaction for one consistent snapshot. */
kc_err kc_copy_read(kc_conn *c, const kc_copy_table *t, kc_copy_row_fn fn, void *arg) KC_WUR;

/* The first table of the list (of schema version `version`, seeded tables excepted) that
 * has rows; *out NULL when there is none. */
kc_err kc_copy_first_nonempty(kc_conn *c, int version, const kc_copy_table **out) KC_WUR;

/* Inserts rows into one table with multi-row INSERTs. Opening a seeded table deletes the
 * rows its migration inserted. Runs inside the caller's write transaction. */
typedef struct kc_copy_writer kc_copy_writer;
kc_err kc_copy_writer_open(kc_conn *c, const kc_copy_table *t, kc_copy_writer **out) KC_WUR;
/* The table's columns in the target database, in the order kc_copy_writer_add takes them. */
int kc_copy_writer_columns(const kc_copy_writer *w, const char *const **names);
/* Adds a row: one value per column. Values are copied. KC_ECONFLICT on a constraint
 * violation (reported when the batch holding the row is written). */
kc_err kc_copy_writer_add(kc_copy_writer *w, const kc_copy_value *vals) KC_WUR;
/* Writes what is buffered and moves the identity sequence past the largest id. */
kc_err kc_copy_writer_finish(kc_copy_writer *w) KC_WUR;
/* Frees the writer (after finish, or to abandon it). NULL-safe. */
void kc_copy_writer_free(kc_copy_writer *w);

#endif
