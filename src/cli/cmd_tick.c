/* cmd_tick.c: `kycuong tick [--now ISO]`: one scheduler pass, for cron or tests. */
#include "base/clock.h"
#include "cli/cli.h"
#include "notify/notify.h"
#include <stdio.h>

int kc_cmd_tick(kc_cli *cli)
{
  if (cli->argc > 1) {
    fprintf(stderr, "kycuong tick: tham số thừa '%s'\n", cli->argv[1]);
    return 2;
  }
  kc_db *db;
  kc_conn *conn;
  if (kc_cli_open_db(cli, &db, &conn))
    return 1;
  if (kc_notify_init()) {
    fprintf(stderr, "kycuong tick: cannot initialise libcurl\n");
    kc_conn_close(conn);
    kc_db_close(db);
    return 1;
  }
  kc_arena arena;
  kc_arena_init(&arena);
  kc_clock clk = {.fixed = cli->cfg.fixed_now, .fixed_at = cli->cfg.now};
  kc_workcal_cache *cals = kc_workcal_cache_new();
  kc_ctx ctx = {
      .conn = conn, .arena = &arena, .now = kc_clock_now(&clk), .cfg = &cli->cfg, .workcal = cals};
  kc_tick_report rep;
  kc_err e = kc_tick(&ctx, &cli->cfg, cals, &rep);
  int rc = 0;
  char when[32];
  kc_time_format_iso(ctx.now, when, sizeof when);
  if (e) {
    fprintf(stderr, "kycuong tick: %s\n", ctx.err_message ? ctx.err_message : kc_err_message(e));
    rc = 1;
  } else {
    printf("Lượt đôn đốc %s: %d thông báo mới, %d kỳ định kỳ mới, %d email, %d SMS, %d lỗi gửi.\n",
           when, rep.notices, rep.instances, rep.emails, rep.sms, rep.failures);
  }
  kc_workcal_cache_free(cals);
  kc_arena_free(&arena);
  kc_notify_cleanup();
  kc_conn_close(conn);
  kc_db_close(db);
  return rc;
}
