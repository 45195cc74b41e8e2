/* fixture.h: what the domain unit tests share: a fresh migrated SQLite file per test holding
 * the Hanoi units of 2017 (data/hanoi-units-2017.tsv), a kc_ctx over it, actors, and assertions
 * that print both values (and the domain's own message and field on a failed call). */
#ifndef KC_TEST_DOMAIN_FIXTURE_H
#define KC_TEST_DOMAIN_FIXTURE_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/core/ctx.h"
#include "expect.h"
#include "store/store.h"

/* 2017-06-01T09:00:00+07:00, the fixed "now" of every test. */
#define FX_NOW INT64_C(1496282400)
#define FX_UNITS 52

typedef struct fx {
  char dir[256];
  char path[320];
  kc_db *db;
  kc_conn *conn;
  kc_arena arena;
  kc_ctx ctx;
  kc_actor admin; /* a citywide admin (account id 0 unless a test makes a real one) */
} fx;

/* cmocka setup/teardown: fresh database with the Hanoi units loaded by the admin actor. */
int fx_setup(void **state);
int fx_teardown(void **state);

/* Clears the failure recorded in ctx, so the next call's message and field are its own. */
void fx_clear(fx *f);
/* The id and path of the unit with this code (fails the test when absent). */
int64_t fx_unit_id(fx *f, const char *code);
const char *fx_unit_path(fx *f, int64_t id);
/* Fills a non-citywide actor of `role` acting in the unit with this code. */
void fx_actor(fx *f, kc_actor *a, kc_role role, const char *code, int64_t account_id,
              const char *username);
/* Row counts. */
int64_t fx_count_units(fx *f);
int64_t fx_count_officials(fx *f);
int64_t fx_count_accounts(fx *f);
int64_t fx_count_audit(fx *f);
/* Checks the newest audit record's action, entity and entity id. */
void fx_expect_last_audit(fx *f, const char *action, const char *entity, int64_t entity_id);
/* Checks the whole audit chain verifies and has `records` records. */
void fx_expect_chain_ok(fx *f, int64_t records);
/* JSON helpers that fail the test on a missing key. */
int64_t fx_jint(json_t *o, const char *key);
const char *fx_jstr(json_t *o, const char *key);

/* Runs a domain call with a clean ctx and checks its code; on a mismatch prints the message
 * and field the domain recorded. */
#define expect_call(f, call, expected)                                                             \
  do {                                                                                             \
    fx_clear(f);                                                                                   \
    kc_err a_ = (call), e_ = (expected);                                                           \
    if (a_ != e_) {                                                                                \
      print_error("%s:%d: %s returned %s (%d; message \"%s\", field %s), expected %s\n", __FILE__, \
                  __LINE__, #call, kc_err_code(a_), (int)a_,                                       \
                  (f)->ctx.err_message ? (f)->ctx.err_message : "",                                \
                  (f)->ctx.err_field ? (f)->ctx.err_field : "(none)", kc_err_code(e_));            \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

/* The field the last failure named. */
#define expect_field(f, name)                                                                      \
  do {                                                                                             \
    const char *g_ = (f)->ctx.err_field;                                                           \
    if (!g_ || strcmp(g_, (name))) {                                                               \
      print_error("%s:%d: failure named field %s, expected %s (message \"%s\")\n", __FILE__,       \
                  __LINE__, g_ ? g_ : "(none)", (name),                                            \
                  (f)->ctx.err_message ? (f)->ctx.err_message : "");                               \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

#endif
