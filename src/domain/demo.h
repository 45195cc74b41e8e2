/* demo.h: the data `kycuong init --demo` loads: the units of Hanoi in 2017, sample officials
 * and one account per role. Also the generator of many officials for benchmarks. */
#ifndef KC_DOMAIN_DEMO_H
#define KC_DOMAIN_DEMO_H
#include <stdio.h>
#include "domain/ctx.h"

#define KC_DEMO_PASSWORD_DEFAULT "demo-kycuong-2017"

/* Loads units from a TSV file (code, name, kind, parent code; header line first). Each
 * unit is created through kc_unit_create, so it is validated and audited. Errors name the
 * line in ctx. */
kc_err kc_demo_load_units(kc_ctx *ctx, const char *tsv_path) KC_WUR;
/* Creates `per_unit` sample officials in every unit (deterministic Vietnamese names). */
kc_err kc_demo_officials(kc_ctx *ctx, int per_unit) KC_WUR;
/* Creates `count` officials spread over existing units, in batches, printing progress to
 * `progress` (may be NULL). For benchmarks. */
kc_err kc_demo_many_officials(kc_ctx *ctx, int64_t count, FILE *progress) KC_WUR;
/* Creates the admin account and one demo account per role (see docs/api.md). */
kc_err kc_demo_accounts(kc_ctx *ctx, const char *admin_password, const char *demo_password,
                        bool with_role_accounts) KC_WUR;

#endif
