/* copy.c: see copy.h. The SQL is built at run time from the static table list and from the
 * column names the database itself reports, never from the export file's text, so nothing
 * a file says reaches SQL except as a bound value. */
#include "store/copy.h"
#include "base/log.h"
#include "base/mem.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows per page when reading: small enough that PostgreSQL's whole-result fetch stays a few
 * megabytes, large enough that the per-query cost vanishes. */
#define READ_PAGE 5000
/* Rows per INSERT when writing, bounded by the number of parameters (SQLite allows 32766,
 * PostgreSQL 65535). */
#define WRITE_BATCH 200
#define MAX_PARAMS 30000
#define MAX_KEY 4

const kc_copy_table *kc_copy_find(const char *name, int *index)
{
  for (int i = 0; i < kc_copy_table_count; i++)
    if (!strcmp(kc_copy_tables[i].name, name)) {
      if (index)
        *index = i;
      return &kc_copy_tables[i];
    }
  return NULL;
}

/* ---- a growable string for building SQL ---- */

typedef struct sbuf {
  char *p;
  size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
  size_t l = strlen(s);
  if (b->n + l + 1 > b->cap) {
    b->cap = (b->n + l + 1) * 2;
    b->p = kc_xrealloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, s, l + 1);
  b->n += l;
}

kc_err kc_copy_check(kc_conn *c, int version, char *msg, size_t cap)
{
  kc_stmt *s;
  kc_err e = kc_stmt_prepare_dynamic(c, kc_conn_list_tables_sql(c), &s);
  if (e) {
    snprintf(msg, cap, "cannot list tables: %s", kc_conn_errmsg(c));
    return e;
  }
  bool *seen = kc_xcalloc((size_t)kc_copy_table_count + 1, sizeof *seen);
  bool row;
  *msg = 0;
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    const char *name = kc_stmt_text(s, 0);
    if (!strcmp(name, "schema_version"))
      continue;
    int i;
    const kc_copy_table *t = kc_copy_find(name, &i);
    if (!t || t->since > version) {
      snprintf(msg, cap,
               "table %s (schema version %d) is not in the copier's list (src/store/tables.c)",
               name, version);
      e = KC_EINTERNAL;
      break;
    }
    seen[i] = true;
  }
  if (e && !*msg)
    snprintf(msg, cap, "cannot list tables: %s", kc_conn_errmsg(c));
  for (int i = 0; !e && i < kc_copy_table_count; i++)
    if (kc_copy_tables[i].since <= version && !seen[i]) {
      snprintf(msg, cap, "table %s of schema version %d is missing from the database",
               kc_copy_tables[i].name, kc_copy_tables[i].since);
      e = KC_EINTERNAL;
    }
  free(seen);
  kc_stmt_free(s);
  return e;
}

kc_err kc_copy_count(kc_conn *c, const kc_copy_table *t, int64_t *n)
{
  *n = 0;
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", t->name);
  kc_stmt *s;
  kc_err e = kc_stmt_prepare_dynamic(c, sql, &s);
  if (e)
    return e;
  bool row;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    *n = kc_stmt_i64(s, 0);
  kc_stmt_free(s);
  return e;
}

kc_err kc_copy_first_nonempty(kc_conn *c, int version, const kc_copy_table **out)
{
  *out = NULL;
  for (int i = 0; i < kc_copy_table_count; i++) {
    const kc_copy_table *t = &kc_copy_tables[i];
    if (t->since > version || t->seeded)
      continue;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", t->name);
    kc_stmt *s;
    kc_err e = kc_stmt_prepare_dynamic(c, sql, &s);
    if (e)
      return e;
    bool row = false;
    e = kc_stmt_step(s, &row);
    kc_stmt_free(s);
    if (e)
      return e;
    if (row) {
      *out = t;
      return KC_OK;
    }
  }
  return KC_OK;
}

/* ---- reading ---- */

/* Splits "a, b" into trimmed names (pointers into buf). */
static int split_key(const char *key, char *buf, size_t cap, const char **names)
{
  snprintf(buf, cap, "%s", key);
  int n = 0;
  for (char *p = buf; *p && n < MAX_KEY;) {
    while (*p == ' ' || *p == ',')
      p++;
    if (!*p)
      break;
    names[n++] = p;
    while (*p && *p != ',' && *p != ' ')
      p++;
    if (*p)
      *p++ = 0;
  }
  return n;
}

kc_err kc_copy_read(kc_conn *c, const kc_copy_table *t, kc_copy_row_fn fn, void *arg)
{
  char kbuf[256];
  const char *key[MAX_KEY];
  int nkey = split_key(t->key, kbuf, sizeof kbuf, key);
  /* SELECT * FROM t ORDER BY k LIMIT n, then the same WHERE (k1, k2) > (?, ?): keyset
   * paging, so each page costs an index range scan however deep into the table. */
  char first[512], next[512], holes[64] = "";
  for (int i = 0; i < nkey; i++)
    strcat(holes, i ? ", ?" : "?");
  snprintf(first, sizeof first, "SELECT * FROM %s ORDER BY %s LIMIT %d", t->name, t->key,
           READ_PAGE);
  snprintf(next, sizeof next, "SELECT * FROM %s WHERE (%s) > (%s) ORDER BY %s LIMIT %d", t->name,
           t->key, holes, t->key, READ_PAGE);
  kc_stmt *s1 = NULL, *s2 = NULL;
  kc_err e = kc_stmt_prepare_dynamic(c, first, &s1);
  if (!e)
    e = kc_stmt_prepare_dynamic(c, next, &s2);
  int ncols = 0, kcol[MAX_KEY] = {0};
  const char **names = NULL;
  kc_copy_value *vals = NULL;
  char *last[MAX_KEY] = {0};
  bool last_int[MAX_KEY] = {0};
  kc_stmt *s = s1;
  while (!e) {
    if (s == s2) {
      kc_stmt_reset(s2);
      for (int k = 0; k < nkey; k++) {
        if (last_int[k])
          kc_stmt_bind_i64(s2, k + 1, strtoll(last[k], NULL, 10));
        else
          kc_stmt_bind_text(s2, k + 1, last[k], -1);
      }
    }
    int got = 0;
    bool row;
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
      if (!names) {
        ncols = kc_stmt_columns(s);
        names = kc_xcalloc((size_t)ncols + 1, sizeof *names);
        vals = kc_xcalloc((size_t)ncols + 1, sizeof *vals);
        for (int i = 0; i < ncols; i++)
          names[i] = kc_xstrdup(kc_stmt_col_name(s, i));
        for (int k = 0; k < nkey; k++) {
          kcol[k] = -1;
          for (int i = 0; i < ncols; i++)
            if (!strcmp(names[i], key[k]))
              kcol[k] = i;
          if (kcol[k] < 0) {
            kc_log_error("copy: key column %s not in table %s", key[k], t->name);
            e = KC_EINTERNAL;
          }
        }
        if (e)
          break;
      }
      for (int i = 0; i < ncols; i++) {
        vals[i].is_null = kc_stmt_is_null(s, i);
        vals[i].is_int = !vals[i].is_null && kc_stmt_col_is_int(s, i);
        vals[i].text = vals[i].is_null ? NULL : kc_stmt_text(s, i);
      }
      e = fn(arg, ncols, names, vals);
      if (e)
        break;
      got++;
      /* Only the last row's key matters, but copying each is cheaper than a second pass. */
      for (int k = 0; k < nkey; k++) {
        free(last[k]);
        last[k] = kc_xstrdup(vals[kcol[k]].text ? vals[kcol[k]].text : "");
        last_int[k] = vals[kcol[k]].is_int;
      }
    }
    kc_stmt_reset(s);
    if (e || got < READ_PAGE)
      break;
    s = s2;
  }
  for (int k = 0; k < nkey; k++)
    free(last[k]);
  if (names)
    for (int i = 0; i < ncols; i++)
      free((char *)names[i]);
  free(names);
  free(vals);
  kc_stmt_free(s1);
  kc_stmt_free(s2);
  return e;
}

/* ---- writing ---- */

struct kc_copy_writer {
  kc_conn *conn;
  const kc_copy_table *t;
  int ncols;
  char **names;
  int batch;           /* rows per full INSERT */
  kc_stmt *full, *one; /* INSERTs of `batch` rows and of one row, prepared when first needed */
  int nbuf;            /* buffered rows */
  char **text;         /* batch * ncols values (NULL: SQL NULL) */
  bool *is_int;
};

kc_err kc_copy_writer_open(kc_conn *c, const kc_copy_table *t, kc_copy_writer **out)
{
  *out = NULL;
  char sql[256];
  /* The target's own column names, in its order: what the file says is matched to them. */
  snprintf(sql, sizeof sql, "SELECT * FROM %s LIMIT 0", t->name);
  kc_stmt *s;
  kc_err e = kc_stmt_prepare_dynamic(c, sql, &s);
  if (e)
    return e;
  bool row;
  e = kc_stmt_step(s, &row);
  if (e) {
    kc_stmt_free(s);
    return e;
  }
  kc_copy_writer *w = kc_xcalloc(1, sizeof *w);
  w->conn = c;
  w->t = t;
  w->ncols = kc_stmt_columns(s);
  w->names = kc_xcalloc((size_t)w->ncols + 1, sizeof *w->names);
  for (int i = 0; i < w->ncols; i++)
    w->names[i] = kc_xstrdup(kc_stmt_col_name(s, i));
  kc_stmt_free(s);
  w->batch = WRITE_BATCH;
  if (w->ncols && w->batch * w->ncols > MAX_PARAMS)
    w->batch = MAX_PARAMS / w->ncols;
  w->text = kc_xcalloc((size_t)w->batch * (size_t)w->ncols + 1, sizeof *w->text);
  w->is_int = kc_xcalloc((size_t)w->batch * (size_t)w->ncols + 1, sizeof *w->is_int);
  if (t->seeded) {
    snprintf(sql, sizeof sql, "DELETE FROM %s", t->name);
    e = kc_conn_exec(c, sql);
  }
  if (e) {
    kc_copy_writer_free(w);
    return e;
  }
  *out = w;
  return KC_OK;
}

int kc_copy_writer_columns(const kc_copy_writer *w, const char *const **names)
{
  *names = (const char *const *)w->names;
  return w->ncols;
}

/* INSERT INTO t (c1, c2) VALUES (?, ?), (?, ?) ... with rows groups of holes. */
static kc_err prepare_insert(kc_copy_writer *w, int rows, kc_stmt **out)
{
  sbuf b = {0};
  sb_add(&b, "INSERT INTO ");
  sb_add(&b, w->t->name);
  sb_add(&b, " (");
  for (int i = 0; i < w->ncols; i++) {
    sb_add(&b, i ? ", " : "");
    sb_add(&b, w->names[i]);
  }
  sb_add(&b, ") VALUES ");
  for (int r = 0; r < rows; r++) {
    sb_add(&b, r ? ", (" : "(");
    for (int i = 0; i < w->ncols; i++)
      sb_add(&b, i ? ", ?" : "?");
    sb_add(&b, ")");
  }
  kc_err e = kc_stmt_prepare_dynamic(w->conn, b.p, out);
  free(b.p);
  return e;
}

static void bind_row(kc_copy_writer *w, kc_stmt *s, int row, int first_param)
{
  for (int i = 0; i < w->ncols; i++) {
    size_t j = (size_t)row * (size_t)w->ncols + (size_t)i;
    int p = first_param + i;
    if (!w->text[j])
      kc_stmt_bind_null(s, p);
    else if (w->is_int[j])
      kc_stmt_bind_i64(s, p, strtoll(w->text[j], NULL, 10));
    else
      kc_stmt_bind_text(s, p, w->text[j], -1);
  }
}

static void clear_buffer(kc_copy_writer *w)
{
  for (size_t j = 0; j < (size_t)w->nbuf * (size_t)w->ncols; j++) {
    free(w->text[j]);
    w->text[j] = NULL;
  }
  w->nbuf = 0;
}

/* Writes the buffered rows: one multi-row INSERT when the buffer is full, else row by row
 * (a partial batch happens once per table, not worth a statement of its own size). */
static kc_err flush(kc_copy_writer *w)
{
  kc_err e = KC_OK;
  if (!w->nbuf || !w->ncols)
    return KC_OK;
  if (w->nbuf == w->batch) {
    if (!w->full && (e = prepare_insert(w, w->batch, &w->full)))
      return e;
    kc_stmt_reset(w->full);
    for (int r = 0; r < w->nbuf; r++)
      bind_row(w, w->full, r, 1 + r * w->ncols);
    e = kc_stmt_run(w->full);
  } else {
    if (!w->one && (e = prepare_insert(w, 1, &w->one)))
      return e;
    for (int r = 0; !e && r < w->nbuf; r++) {
      kc_stmt_reset(w->one);
      bind_row(w, w->one, r, 1);
      e = kc_stmt_run(w->one);
    }
  }
  clear_buffer(w);
  return e;
}

kc_err kc_copy_writer_add(kc_copy_writer *w, const kc_copy_value *vals)
{
  size_t base = (size_t)w->nbuf * (size_t)w->ncols;
  for (int i = 0; i < w->ncols; i++) {
    w->text[base + (size_t)i] =
        vals[i].is_null ? NULL : kc_xstrdup(vals[i].text ? vals[i].text : "");
    w->is_int[base + (size_t)i] = vals[i].is_int;
  }
  if (++w->nbuf == w->batch)
    return flush(w);
  return KC_OK;
}

kc_err kc_copy_writer_finish(kc_copy_writer *w)
{
  kc_err e = flush(w);
  if (!e && w->t->identity)
    e = kc_conn_reset_identity(w->conn, w->t->name, w->t->identity);
  return e;
}

void kc_copy_writer_free(kc_copy_writer *w)
{
  if (!w)
    return;
  clear_buffer(w);
  for (int i = 0; i < w->ncols; i++)
    free(w->names[i]);
  free(w->names);
  free(w->text);
  free(w->is_int);
  kc_stmt_free(w->full);
  kc_stmt_free(w->one);
  free(w);
}
