/* common.c: what several subcommands share: opening and migrating the database. */
#include "cli/cli.h"
#include "http/router.h"
#include "store/store.h"
#include <stdio.h>

int kc_cli_open_db(kc_cli *cli, kc_db **db, kc_conn **conn)
{
  char msg[1200];
  *db = NULL;
  *conn = NULL;
  if (kc_db_open(cli->cfg.db, db, msg, sizeof msg)) {
    fprintf(stderr, "kycuong: %s\n", msg);
    return 1;
  }
  if (kc_conn_open(*db, conn)) {
    fprintf(stderr, "kycuong: cannot connect to %s\n", cli->cfg.db);
    kc_db_close(*db);
    return 1;
  }
  int from, to;
  if (kc_store_migrate(*conn, &from, &to)) {
    fprintf(stderr, "kycuong: migrating %s failed: %s\n", cli->cfg.db, kc_conn_errmsg(*conn));
    kc_conn_close(*conn);
    kc_db_close(*db);
    return 1;
  }
  if (from != to)
    fprintf(stderr, "kycuong: schema of %s migrated from version %d to %d\n", cli->cfg.db, from,
            to);
  return 0;
}

int kc_cmd_routes(kc_cli *cli)
{
  (void)cli;
  kc_route_print(stdout);
  return 0;
}
