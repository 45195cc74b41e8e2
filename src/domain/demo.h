/* demo.h: the data `kycuong init --demo` loads: the units of Hanoi in 2017, sample officials
 * and one account per role. Also the generator of many officials for benchmarks. */
#ifndef KC_DOMAIN_DEMO_H
#define KC_DOMAIN_DEMO_H
#include "domain/ctx.h"
#include <stdio.h>

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

/* Loads Plan 69/KH-UBND as a directive with its tasks (data_dir/demo/kh-69-ubnd-2017.txt and
 * kh-69-ubnd-2017-tasks.tsv), assigned on 21/03/2017 by the city to the units and unit groups
 * the plan names, then reports progress and completions through 2017 so every screen has
 * something to show: most tasks done on time, some late, some still open, up to real_now.
 * Seeds the standard unit groups first. Moves ctx->now forward as the story advances; call
 * it with ctx->now before the plan (KC_DEMO_EPOCH) so audit times never go backwards.
 * Writes progress to `progress` (may be NULL). */
kc_err kc_demo_plan69(kc_ctx *ctx, const char *data_dir, int64_t real_now, FILE *progress) KC_WUR;

/* For benchmarks: adds communes under the districts until there are `units` units, then
 * `tasks` tasks spread over them with due dates in 2017–2018, about 60% completed (on time or
 * late) and a few cancelled, written in batches of one transaction each (not audited: this
 * is generated load, not anyone's change). Progress goes to `progress`. */
kc_err kc_demo_many_tasks(kc_ctx *ctx, int units, int64_t tasks, FILE *progress) KC_WUR;

/* The demo's story starts here: the registry exists before the plan of 20/03/2017. */
#define KC_DEMO_EPOCH "2017-03-01T08:00:00+07:00"

#endif
