/* cmd_init.c: `kycuong init [--demo] [--officials N]`: create the database, and with --demo
 * load the demo data. Refuses to load demo data into a database that already has units. */
#include "base/clock.h"
#include "base/crypto.h"
#include "cli/cli.h"
#include "demo/demo.h"
#include "demo/demo_plan.h"
#include "domain/core/workcal.h"
#include "domain/onestop/onestop.h"
#include "domain/org/unit.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(kc_ctx *ctx, const char *what)
{
  fprintf(stderr, "kycuong init: %s: %s%s%s\n", what,
          ctx->err_message ? ctx->err_message : kc_err_message(ctx->err),
          ctx->err_field ? " — trường " : "", ctx->err_field ? ctx->err_field : "");
  return 1;
}

static int64_t count_units(kc_conn *c)
{
  int64_t n = -1;
  return kc_unit_count(c, &n) ? -1 : n;
}

/* The demo's two simulations, Plan 69's tasks and the one-stop desk of Ba Đình, run as one
 * timeline from 1/3/2017 to real_now (demo/timeline.h). The catalog is created first, at the
 * epoch, like the registry. */
static kc_err demo_story(kc_ctx *ctx, const char *data_dir, int64_t real_now)
{
  kc_demo_source src[2];
  kc_err e = kc_demo_onestop_source(ctx, data_dir, real_now, stderr, &src[0]);
  if (e)
    return e;
  e = kc_demo_plan69_source(ctx, data_dir, real_now, &src[1]);
  if (e) {
    src[0].done(src[0].state);
    return e;
  }
  return kc_demo_run(ctx, src, 2, stderr);
}

int kc_cmd_init(kc_cli *cli)
{
  bool demo = false;
  int64_t many = 0, bench_tasks = 0, bench_dossiers = 0;
  int bench_units = 600;
  for (int i = 1; i < cli->argc; i++) {
    if (!strcmp(cli->argv[i], "--demo"))
      demo = true;
    else if (!strcmp(cli->argv[i], "--officials") && i + 1 < cli->argc) {
      char *end;
      errno = 0;
      many = strtoll(cli->argv[++i], &end, 10);
      if (errno || *end || many < 0 || many > 10000000) {
        fprintf(stderr, "kycuong init: --officials cần một số từ 0 đến 10000000\n");
        return 2;
      }
    } else if (!strcmp(cli->argv[i], "--bench-tasks") && i + 1 < cli->argc) {
      char *end;
      errno = 0;
      bench_tasks = strtoll(cli->argv[++i], &end, 10);
      if (errno || *end || bench_tasks < 0 || bench_tasks > 10000000) {
        fprintf(stderr, "kycuong init: --bench-tasks cần một số từ 0 đến 10000000\n");
        return 2;
      }
    } else if (!strcmp(cli->argv[i], "--bench-dossiers") && i + 1 < cli->argc) {
      char *end;
      errno = 0;
      bench_dossiers = strtoll(cli->argv[++i], &end, 10);
      if (errno || *end || bench_dossiers < 0 || bench_dossiers > 20000000) {
        fprintf(stderr, "kycuong init: --bench-dossiers cần một số từ 0 đến 20000000\n");
        return 2;
      }
    } else {
      fprintf(stderr, "kycuong init: tham số không rõ '%s'\n", cli->argv[i]);
      return 2;
    }
  }
  kc_db *db;
  kc_conn *conn;
  if (kc_cli_open_db(cli, &db, &conn))
    return 1;
  int rc = 0;
  kc_arena arena;
  kc_arena_init(&arena);
  kc_clock clk = {.fixed = cli->cfg.fixed_now, .fixed_at = cli->cfg.now};
  kc_workcal_cache *cals = kc_workcal_cache_new();
  kc_ctx ctx = {
      .conn = conn, .arena = &arena, .now = kc_clock_now(&clk), .cfg = &cli->cfg, .workcal = cals};
  int64_t real_now = ctx.now;
  /* The demo tells the story from 2017 in order (registry, plan, a year of reports, the desk),
   * so its audit records are written at the times they describe and never go backwards. */
  /* The registry and the catalog exist before anything the demo receives: from the epoch, or,
   * on a clock set earlier, five weeks before it (the recent dossiers reach back ten working
   * days, Tết included). */
  int64_t epoch = 0;
  if (demo && !kc_time_parse_iso(KC_DEMO_EPOCH, &epoch))
    ctx.now = epoch < real_now - 35 * 86400 ? epoch : real_now - 35 * 86400;
  int seeded = 0;
  char *cal_dir = kc_arena_printf(&arena, "%s/calendar", cli->cfg.data_dir);
  if (kc_workcal_seed(&ctx, cal_dir, &seeded)) {
    rc = fail(&ctx, "nạp lịch nghỉ chính thức");
    goto out;
  }
  if (seeded)
    printf("Đã nạp lịch nghỉ chính thức: %d ngày (từ %s).\n", seeded, cal_dir);
  char *onestop_dir = kc_arena_printf(&arena, "%s/onestop", cli->cfg.data_dir);
  if (kc_onestop_rules_seed(&ctx, onestop_dir, &seeded)) {
    rc = fail(&ctx, "nạp quy định về cơ chế một cửa");
    goto out;
  }
  if (seeded)
    printf("Đã nạp quy định về cơ chế một cửa: %d phiên bản (từ %s/rules.json).\n", seeded,
           onestop_dir);
  int64_t units = count_units(conn);
  if (demo && units > 0) {
    fprintf(stderr, "kycuong init: %s đã có dữ liệu (%" PRId64 " đơn vị); bỏ qua dữ liệu mẫu\n",
            cli->cfg.db, units);
    demo = false;
    ctx.now = real_now;
  }
  if (demo) {
    const char *admin_pw = getenv("KYCUONG_ADMIN_PASSWORD");
    char generated[KC_TOKEN_CHARS];
    if (!admin_pw || !*admin_pw) {
      kc_crypto_token(generated);
      generated[20] = 0;
      admin_pw = generated;
    }
    const char *demo_pw = getenv("KYCUONG_DEMO_PASSWORD");
    if (!demo_pw || !*demo_pw)
      demo_pw = KC_DEMO_PASSWORD_DEFAULT;
    char *units_tsv = kc_arena_printf(&arena, "%s/hanoi-units-2017.tsv", cli->cfg.data_dir);
    /* the divisions and wards of two districts the one-stop demo receives dossiers at */
    char *onestop_units = kc_arena_printf(&arena, "%s/onestop/units.tsv", cli->cfg.data_dir);
    if (kc_demo_load_units(&ctx, units_tsv) || kc_demo_load_units(&ctx, onestop_units))
      rc = fail(&ctx, "nạp đơn vị");
    else if (kc_demo_officials(&ctx, 6))
      rc = fail(&ctx, "tạo cán bộ mẫu");
    else if (kc_demo_accounts(&ctx, admin_pw, demo_pw, true))
      rc = fail(&ctx, "tạo tài khoản");
    else if (demo_story(&ctx, cli->cfg.data_dir, real_now))
      rc = fail(&ctx, "nạp Kế hoạch 69/KH-UBND, nhiệm vụ và hồ sơ một cửa mẫu");
    if (!rc) {
      printf("Đã tạo dữ liệu mẫu trong %s: %" PRId64 " đơn vị.\n", cli->cfg.db, count_units(conn));
      printf("Tài khoản quản trị: admin / %s%s\n", admin_pw,
             admin_pw == generated ? "  (mật khẩu sinh ngẫu nhiên; hãy ghi lại)" : "");
      printf("Tài khoản mẫu (mật khẩu %s): canbo, motcua, truongdv, truongdv2, giamsat, "
             "lanhdao, congdan\n",
             demo_pw);
    }
  }
  if (!rc && many > 0) {
    if (count_units(conn) <= 0) {
      fprintf(stderr, "kycuong init: --officials cần có đơn vị trước (dùng --demo)\n");
      rc = 2;
    } else if (kc_demo_many_officials(&ctx, many, stderr)) {
      rc = fail(&ctx, "tạo cán bộ");
    } else if (kc_store_analyze(conn)) {
      /* fresh statistics so the planner knows the new table sizes */
      fprintf(stderr, "kycuong init: ANALYZE failed: %s\n", kc_conn_errmsg(conn));
      rc = 1;
    }
  }
  if (!rc && bench_tasks > 0) {
    ctx.now = real_now;
    if (kc_demo_many_tasks(&ctx, bench_units, bench_tasks, stderr))
      rc = fail(&ctx, "tạo nhiệm vụ thử tải");
    else if (kc_store_analyze(conn))
      rc = 1;
  }
  if (!rc && bench_dossiers > 0) {
    ctx.now = real_now;
    if (kc_demo_many_dossiers(&ctx, 20, bench_dossiers, stderr))
      rc = fail(&ctx, "tạo hồ sơ một cửa thử tải");
    else if (kc_store_analyze(conn))
      rc = 1;
  }
  if (!rc && !demo && !many && !bench_tasks && !bench_dossiers)
    printf("Cơ sở dữ liệu %s sẵn sàng (phiên bản lược đồ %d).\n", cli->cfg.db,
           kc_store_latest_version());
out:
  kc_workcal_cache_free(cals);
  kc_arena_free(&arena);
  kc_conn_close(conn);
  kc_db_close(db);
  return rc;
}
