/* test_http.c: the router's matching rules, the route table's shape, error statuses, and the
 * metrics text. The handlers themselves are tested through the real server (tests/api). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the headers above first */
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/metrics.h"
#include "http/req.h"
#include "http/router.h"

static void test_match_static_and_id(void **state)
{
  (void)state;
  int64_t id = -1;
  bool known;
  const kc_route *r = kc_route_match("GET", "/api/v1/units", &id, &known);
  assert_non_null(r);
  assert_string_equal(r->pattern, "/api/v1/units");
  assert_int_equal(id, 0);
  r = kc_route_match("GET", "/api/v1/units/42", &id, &known);
  assert_non_null(r);
  assert_string_equal(r->pattern, "/api/v1/units/:id");
  assert_int_equal(id, 42);
  r = kc_route_match("POST", "/api/v1/units/7/move", &id, &known);
  assert_non_null(r);
  assert_string_equal(r->pattern, "/api/v1/units/:id/move");
  assert_int_equal(id, 7);
  /* "tree" is its own route, not an :id */
  r = kc_route_match("GET", "/api/v1/units/tree", &id, &known);
  assert_non_null(r);
  assert_string_equal(r->pattern, "/api/v1/units/tree");
}

static void test_match_refusals(void **state)
{
  (void)state;
  int64_t id;
  bool known;
  /* ids are positive decimal integers without leading zeros, at most 18 digits */
  assert_null(kc_route_match("GET", "/api/v1/units/0", &id, &known));
  assert_null(kc_route_match("GET", "/api/v1/units/012", &id, &known));
  assert_null(kc_route_match("GET", "/api/v1/units/-1", &id, &known));
  assert_null(kc_route_match("GET", "/api/v1/units/1x", &id, &known));
  assert_null(kc_route_match("GET", "/api/v1/units/1234567890123456789", &id, &known));
  assert_null(kc_route_match("GET", "/api/v1/units/", &id, &known));
  assert_null(kc_route_match("GET", "/api/v1/unitsx", &id, &known));
  assert_false(known);
  /* a known path with another method: NULL but known (405) */
  assert_null(kc_route_match("PUT", "/api/v1/units", &id, &known));
  assert_true(known);
  /* :code: letters, digits and "-._", 1..64 of them */
  const kc_route *r =
      kc_route_match("GET", "/api/v1/public/dossiers/HN-D01-170605-0007", &id, &known);
  assert_non_null(r);
  assert_string_equal(r->pattern, "/api/v1/public/dossiers/:code");
  assert_null(kc_route_match("GET", "/api/v1/public/dossiers/a%2Fb", &id, &known));
  assert_null(kc_route_match("GET", "/api/v1/public/dossiers/", &id, &known));
  char longcode[80];
  memset(longcode, 'A', 65);
  longcode[65] = 0;
  char path[160];
  snprintf(path, sizeof path, "/api/v1/public/dossiers/%s", longcode);
  assert_null(kc_route_match("GET", path, &id, &known));
  /* a dossier's action and slips */
  r = kc_route_match("GET", "/api/v1/dossiers/12/receipt.pdf", &id, &known);
  assert_non_null(r);
  assert_int_equal(id, 12);
}

static void test_table_is_consistent(void **state)
{
  (void)state;
  int public_count = 0;
  for (int i = 0; i < kc_route_count; i++) {
    const kc_route *r = &kc_routes[i];
    assert_true(!strncmp(r->pattern, "/api/v1/", 8));
    assert_non_null(r->handler);
    public_count += kc_route_public(r);
    /* a route's roles are a subset of the roles there are; the admin may call every
     * non-public route (administration includes seeing what others see) */
    assert_int_equal(r->roles & ~KC_RS_ANY, 0);
    assert_true(kc_route_public(r) || (r->roles & KC_RS_ADMIN));
    /* no two routes share method and pattern */
    for (int j = i + 1; j < kc_route_count; j++)
      assert_false(!strcmp(r->method, kc_routes[j].method) &&
                   !strcmp(r->pattern, kc_routes[j].pattern));
  }
  /* only these are public; everything else needs a session or a token */
  /* login, the API document, the calendar feed (its own token), and the one-stop shop's
   * public pages: the catalog (list, fields, one procedure, its form files) and the dossier
   * status lookup */
  assert_int_equal(public_count, 8);
  assert_true(kc_route_count < KC_METRICS_MAX_ROUTES);
}

static void test_statuses(void **state)
{
  (void)state;
  assert_int_equal(kc_http_status(KC_OK), 200);
  assert_int_equal(kc_http_status(KC_EFIELD), 400);
  assert_int_equal(kc_http_status(KC_EJSON), 400);
  assert_int_equal(kc_http_status(KC_ETOOLARGE), 413);
  assert_int_equal(kc_http_status(KC_EAUTH), 401);
  assert_int_equal(kc_http_status(KC_ECSRF), 403);
  assert_int_equal(kc_http_status(KC_EFORBIDDEN), 403);
  assert_int_equal(kc_http_status(KC_ENOTFOUND), 404);
  assert_int_equal(kc_http_status(KC_ECONFLICT), 409);
  assert_int_equal(kc_http_status(KC_ETHROTTLE), 429);
  assert_int_equal(kc_http_status(KC_EBUSY), 503);
  assert_int_equal(kc_http_status(KC_EINTERNAL), 500);
}

static void test_metrics_text(void **state)
{
  (void)state;
  static kc_metrics m;
  memset(&m, 0, sizeof m);
  int units = -1;
  for (int i = 0; i < kc_route_count; i++)
    if (!strcmp(kc_routes[i].pattern, "/api/v1/units") && !strcmp(kc_routes[i].method, "GET"))
      units = i;
  assert_true(units >= 0);
  kc_metrics_record(&m, units, 200, 1500, 250000000);
  kc_metrics_record(&m, units, 200, 300, 0);
  kc_metrics_record(&m, -1, 404, 100, 0);
  kc_metrics_record(&m, units, 500, 70000, 0);
  kc_arena ar;
  kc_arena_init(&ar);
  size_t len;
  char *txt = kc_metrics_render(&m, &ar, &len);
  assert_int_equal(strlen(txt), len);
  assert_non_null(strstr(
      txt,
      "kycuong_http_requests_total{method=\"GET\",route=\"/api/v1/units\",status=\"2xx\"} 2\n"));
  assert_non_null(strstr(
      txt,
      "kycuong_http_requests_total{method=\"GET\",route=\"/api/v1/units\",status=\"5xx\"} 1\n"));
  assert_non_null(strstr(txt, "route=\"static\",status=\"4xx\"} 1\n"));
  assert_non_null(strstr(txt, "kycuong_http_errors_total 1\n"));
  assert_non_null(strstr(txt, "kycuong_http_request_duration_seconds_count 4\n"));
  /* 1.5 ms falls in the 2 ms bucket, cumulative with the 0.1 ms and 0.3 ms requests */
  assert_non_null(strstr(txt, "kycuong_http_request_duration_seconds_bucket{le=\"0.002\"} 3\n"));
  assert_non_null(strstr(txt, "kycuong_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
  assert_non_null(strstr(txt, "kycuong_db_seconds_total 0.250000\n"));
  kc_arena_free(&ar);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_match_static_and_id), cmocka_unit_test(test_match_refusals),
      cmocka_unit_test(test_table_is_consistent), cmocka_unit_test(test_statuses),
      cmocka_unit_test(test_metrics_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
