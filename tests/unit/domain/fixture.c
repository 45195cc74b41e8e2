/* fixture.c: see fixture.h. */
#include "fixture.h"
#include "base/crypto.h"
#include "demo/demo.h"
#include "domain/domain.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

int fx_setup(void **state)
{
  if (kc_crypto_init() != KC_OK)
    return -1;
  fx *f = calloc(1, sizeof *f);
  const char *tmp = getenv("TMPDIR");
  snprintf(f->dir, sizeof f->dir, "%s/kc-test-domain-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(f->dir))
    return -1;
  snprintf(f->path, sizeof f->path, "%s/kc.db", f->dir);
  char msg[256] = "";
  if (kc_db_open(f->path, &f->db, msg, sizeof msg) != KC_OK) {
    print_error("kc_db_open %s: %s\n", f->path, msg);
    return -1;
  }
  if (kc_conn_open(f->db, &f->conn) != KC_OK || kc_store_migrate(f->conn, NULL, NULL) != KC_OK)
    return -1;
  kc_arena_init(&f->arena);
  f->ctx.conn = f->conn;
  f->ctx.arena = &f->arena;
  f->ctx.now = FX_NOW;
  f->admin = (kc_actor){.account_id = 0, .username = "admin", .role = KC_ROLE_ADMIN};
  f->ctx.actor = &f->admin;
  const char *data = getenv("KC_DATA_DIR");
  if (!data) {
    print_error("KC_DATA_DIR is not set (run through ctest)\n");
    return -1;
  }
  char *dmsg = NULL;
  if (kc_domain_init(data, &dmsg) != KC_OK) {
    print_error("kc_domain_init: %s\n", dmsg ? dmsg : "");
    free(dmsg);
    return -1;
  }
  char tsv[1024];
  snprintf(tsv, sizeof tsv, "%s/hanoi-units-2017.tsv", data);
  kc_err e = kc_demo_load_units(&f->ctx, tsv);
  if (e != KC_OK) {
    print_error("loading %s: %s %s\n", tsv, kc_err_code(e),
                f->ctx.err_message ? f->ctx.err_message : "");
    return -1;
  }
  /* The admin acts in the city: fill its unit now that the units exist. */
  f->admin.unit_id = fx_unit_id(f, "HN");
  f->admin.unit_path = fx_unit_path(f, f->admin.unit_id);
  fx_clear(f);
  *state = f;
  return 0;
}

int fx_teardown(void **state)
{
  fx *f = *state;
  if (!f)
    return 0;
  kc_conn_close(f->conn);
  kc_db_close(f->db);
  kc_arena_free(&f->arena);
  /* The database, its WAL files and whatever a test wrote next to it. */
  DIR *d = opendir(f->dir);
  struct dirent *ent;
  char p[600];
  while (d && (ent = readdir(d)))
    if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..")) {
      snprintf(p, sizeof p, "%s/%s", f->dir, ent->d_name);
      unlink(p);
    }
  if (d)
    closedir(d);
  rmdir(f->dir);
  free(f);
  return 0;
}

void fx_clear(fx *f)
{
  f->ctx.err = KC_OK;
  f->ctx.err_message = NULL;
  f->ctx.err_field = NULL;
  f->ctx.retry_after = 0;
}

int64_t fx_unit_id(fx *f, const char *code)
{
  kc_stmt *s;
  bool row = false;
  expect_err(kc_stmt_prepare(f->conn, "SELECT id FROM units WHERE code = ?", &s), KC_OK);
  kc_stmt_bind_text(s, 1, code, -1);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  if (!row) {
    print_error("no unit with code %s\n", code);
    fail();
  }
  int64_t id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return id;
}

const char *fx_unit_path(fx *f, int64_t id)
{
  const char *p = NULL;
  expect_err(kc_unit_path(&f->ctx, id, &p), KC_OK);
  return p;
}

void fx_actor(fx *f, kc_actor *a, kc_role role, const char *code, int64_t account_id,
              const char *username)
{
  *a = (kc_actor){.account_id = account_id, .username = username, .role = role};
  a->unit_id = fx_unit_id(f, code);
  a->unit_path = fx_unit_path(f, a->unit_id);
}

static int64_t count(fx *f, const char *sql)
{
  kc_stmt *s;
  bool row = false;
  expect_err(kc_stmt_prepare(f->conn, sql, &s), KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  int64_t n = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return n;
}

int64_t fx_count_units(fx *f)
{
  return count(f, "SELECT COUNT(*) FROM units");
}

int64_t fx_count_officials(fx *f)
{
  return count(f, "SELECT COUNT(*) FROM officials");
}

int64_t fx_count_accounts(fx *f)
{
  return count(f, "SELECT COUNT(*) FROM accounts");
}

int64_t fx_count_audit(fx *f)
{
  return count(f, "SELECT COUNT(*) FROM audit_log");
}

void fx_expect_last_audit(fx *f, const char *action, const char *entity, int64_t entity_id)
{
  kc_stmt *s;
  bool row = false;
  expect_err(kc_stmt_prepare(f->conn,
                             "SELECT action, entity, entity_id, at FROM audit_log "
                             "ORDER BY id DESC LIMIT 1",
                             &s),
             KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  if (strcmp(kc_stmt_text(s, 0), action) || strcmp(kc_stmt_text(s, 1), entity) ||
      kc_stmt_i64(s, 2) != entity_id) {
    print_error("last audit record is %s %s %" PRId64 ", expected %s %s %" PRId64 "\n",
                kc_stmt_text(s, 0), kc_stmt_text(s, 1), kc_stmt_i64(s, 2), action, entity,
                entity_id);
    kc_stmt_reset(s);
    fail();
  }
  expect_i64(kc_stmt_i64(s, 3), f->ctx.now);
  kc_stmt_reset(s);
}

void fx_expect_chain_ok(fx *f, int64_t records)
{
  int64_t checked = -1, bad = -1;
  char msg[256] = "";
  kc_err e = kc_audit_verify(f->conn, &checked, &bad, msg, sizeof msg, NULL);
  if (e != KC_OK) {
    print_error("audit chain: %s, bad id %" PRId64 ": %s\n", kc_err_code(e), bad, msg);
    fail();
  }
  expect_i64(checked, records);
  expect_i64(bad, 0);
}

int64_t fx_jint(json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v)) {
    char *d = json_dumps(o, JSON_COMPACT);
    print_error("no integer \"%s\" in %s\n", key, d ? d : "(null)");
    free(d);
    fail();
  }
  return (int64_t)json_integer_value(v);
}

const char *fx_jstr(json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);
  if (!json_is_string(v)) {
    char *d = json_dumps(o, JSON_COMPACT);
    print_error("no string \"%s\" in %s\n", key, d ? d : "(null)");
    free(d);
    fail();
  }
  return json_string_value(v);
}
