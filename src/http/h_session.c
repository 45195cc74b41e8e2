/* h_session.c: login, logout, the current account, API tokens, the OpenAPI document. */
#include "domain/org/account.h"
#include "domain/org/auth.h"
#include "http/handlers.h"
#include "http/router.h"
#include <string.h>

/* docs/openapi.json, embedded at build time (cmake/embed_file.cmake). */
extern const char kc_openapi_json[];
extern const unsigned long kc_openapi_json_len;

void kc_h_openapi(kc_req *r)
{
  r->status = 200;
  r->content_type = "application/json; charset=utf-8";
  r->resp = (char *)kc_openapi_json;
  r->resp_len = kc_openapi_json_len;
}

typedef struct {
  const char *username, *password, *name;
} login_in;

static const kc_field login_fields[] = {
    KC_FIELD_STR(login_in, username, KC_F_REQ, 64),
    KC_FIELD_STR(login_in, password, KC_F_REQ | KC_F_RAW, 0),
};

void kc_h_session_create(kc_req *r)
{
  login_in in = {0};
  if (kc_req_fields(r, login_fields, KC_NFIELDS(login_fields), true, &in)) {
    kc_login_out out;
    kc_err e =
        kc_auth_login(&r->ctx, in.username, in.password, r->addr, r->cfg->session_hours, &out);
    if (e) {
      kc_req_fail(r, e);
    } else {
      kc_req_add_header(r, "Set-Cookie",
                        kc_arena_printf(&r->arena,
                                        "kc_session=%s; Path=/; HttpOnly; SameSite=Strict; "
                                        "Max-Age=%d",
                                        out.token, r->cfg->session_hours * 3600));
      kc_req_json(r, 200, json_pack("{ss so}", "csrf_token", out.csrf, "account", out.account));
    }
  }
}

void kc_h_session_delete(kc_req *r)
{
  kc_err e = kc_auth_logout(&r->ctx);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  kc_req_add_header(r, "Set-Cookie", "kc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  kc_req_empty(r, 204);
}

void kc_h_me(kc_req *r)
{
  json_t *me;
  kc_err e = kc_account_me(&r->ctx, &me);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  if (r->via_cookie && r->csrf)
    json_object_set_new(me, "csrf_token", json_string(r->csrf));
  /* What this account may call, straight from the route table: the web builds its
   * navigation from it and keeps no role table of its own. */
  json_t *allowed = json_array();
  for (int i = 0; i < kc_route_count; i++)
    if (!kc_route_public(&kc_routes[i]) && kc_route_allows(&kc_routes[i], r->actor.role))
      json_array_append_new(allowed,
                            json_sprintf("%s %s", kc_routes[i].method, kc_routes[i].pattern));
  json_object_set_new(me, "allowed", allowed);
  kc_req_json(r, 200, me);
}

void kc_h_tokens_list(kc_req *r)
{
  json_t *items;
  int64_t total;
  kc_err e = kc_token_list(&r->ctx, &items, &total);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, total);
}

static const kc_field token_fields[] = {KC_FIELD_STR(login_in, name, KC_F_REQ, 100)};

void kc_h_tokens_create(kc_req *r)
{
  json_t *out = NULL;
  login_in in = {0};
  if (kc_req_fields(r, token_fields, KC_NFIELDS(token_fields), true, &in)) {
    kc_err e = kc_token_create(&r->ctx, in.name, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_tokens_delete(kc_req *r)
{
  kc_err e = kc_token_revoke(&r->ctx, r->id);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_empty(r, 204);
}
