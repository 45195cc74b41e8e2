/* cmd_serve.c: `kycuong serve`: run the web UI and API until SIGINT or SIGTERM. */
#include "base/log.h"
#include "cli/cli.h"
#include "http/server.h"
#include <signal.h>
#include <stdio.h>

int kc_cmd_serve(kc_cli *cli)
{
  if (cli->argc > 1) {
    fprintf(stderr, "kycuong serve: tham số thừa '%s'\n", cli->argv[1]);
    return 2;
  }
  kc_db *db;
  kc_conn *conn;
  if (kc_cli_open_db(cli, &db, &conn))
    return 1;
  kc_conn_close(conn); /* worker threads open their own */
  if (cli->cfg.fixed_now)
    kc_log_warn("*** CLOCK IS FIXED at %s (--now): every request sees this instant; "
                "do not run production like this ***",
                cli->cfg.now_text);
  /* Block the signals in every thread (MHD's inherit the mask) and wait for them here. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  kc_server *srv;
  if (kc_server_start(&cli->cfg, db, &srv)) {
    kc_db_close(db);
    return 1;
  }
  int sig = 0;
  sigwait(&set, &sig);
  kc_log_info("signal %d: stopping", sig);
  kc_server_stop(srv);
  kc_db_close(db);
  return 0;
}
