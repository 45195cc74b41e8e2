/* demo.h: the data `kycuong init --demo` loads: the units of Hanoi in 2017, sample officials
 * and one account per role. Also the generator of many officials for benchmarks. */
#ifndef KC_DOMAIN_DEMO_H
#define KC_DOMAIN_DEMO_H
#include "demo/timeline.h"
#include "domain/core/ctx.h"
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

/* The lives of a directive's tasks up to real_now as a source of the demo's timeline
 * (demo/timeline.h): every task due before it is completed on time (most), late (some) or
 * left open (a few), some after a progress report. Only events after ctx->now are planned.
 * Plan 69 itself is created by kc_demo_plan69_source, which uses this. */
kc_err kc_demo_tasks_source(kc_ctx *ctx, int64_t directive_id, int64_t real_now,
                            kc_demo_source *src) KC_WUR;

/* For benchmarks: adds communes under the districts until there are `units` units, then
 * `tasks` tasks spread over them with due dates in 2017–2018, about 60% completed (on time or
 * late) and a few cancelled, written in batches of one transaction each (not audited: this
 * is generated load, not anyone's change). Progress goes to `progress`. */
kc_err kc_demo_many_tasks(kc_ctx *ctx, int units, int64_t tasks, FILE *progress) KC_WUR;

/* For benchmarks: adds communes under every district until each has communes_per_district,
 * and the three divisions Ba Đình has, creates about 40 procedures (kc_procedure_create) next
 * to the demo's, then `dossiers` dossiers received on the working days of the two years before
 * ctx->now, in realistic states (most returned early, on time or late, some with an apology,
 * refused or withdrawn, the recent and a few stuck ones open), with their steps, events,
 * apologies and supplement requests, the per-day counters and the code sequences the domain
 * would have kept. Written directly, many rows per statement, in transactions of 25,000
 * dossiers; one summary audit record. Progress goes to `progress` (may be NULL). Needs --demo. */
kc_err kc_demo_many_dossiers(kc_ctx *ctx, int communes_per_district, int64_t dossiers,
                             FILE *progress) KC_WUR;

/* The one-stop shop of the demo: creates now (at ctx->now) the procedures of
 * data_dir/onestop/procedures.json (a research format, mapped to catalog records and created
 * through kc_procedure_create), and gives as a source of the demo's timeline the dossiers
 * received at Ba Đình and its wards on every working day from 1/3 to 29/12/2017 and moved
 * through their lives (hand-offs, supplements, results mostly on time, some late with an
 * apology, a few refused or withdrawn, returns), and about 25 received over the last two weeks
 * before real_now and left open in every state, acted on as the demo accounts. A missing
 * procedures.json gives a source without events (KC_OK). Errors of single actions go to
 * `progress` (may be NULL). */
kc_err kc_demo_onestop_source(kc_ctx *ctx, const char *data_dir, int64_t real_now, FILE *progress,
                              kc_demo_source *src) KC_WUR;

/* The demo's story starts here: the registry exists before the plan of 20/03/2017. */
#define KC_DEMO_EPOCH "2017-03-01T08:00:00+07:00"

#endif
