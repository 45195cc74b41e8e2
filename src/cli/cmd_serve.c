/* cmd_serve.c: `kycuong serve`: run the web UI and API until SIGINT or SIGTERM. */
#include "base/clock.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/server.h"
#include "notify/notify.h"
#include "report/pdf_doc.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

/* The scheduler thread: one pass every tick_interval seconds, with its own connection. */
typedef struct sched {
  const kc_config *cfg;
  kc_db *db;
  kc_workcal_cache *cals;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  bool stop;
} sched;

static void *sched_main(void *arg)
{
  sched *s = arg;
  kc_conn *conn = NULL;
  if (kc_conn_open(s->db, &conn)) {
    kc_log_error("scheduler: cannot open a database connection; no prodding in this process");
    return NULL;
  }
  kc_clock clk = {.fixed = s->cfg->fixed_now, .fixed_at = s->cfg->now};
  for (;;) {
    kc_arena arena;
    kc_arena_init(&arena);
    kc_ctx ctx = {.conn = conn,
                  .arena = &arena,
                  .now = kc_clock_now(&clk),
                  .cfg = s->cfg,
                  .workcal = s->cals};
    kc_tick_report rep;
    bool mine = false; /* another server may be running the passes */
    if (kc_conn_try_singleton(conn, &mine))
      kc_log_warn("scheduler: cannot check the scheduler lock; skipping this pass");
    else if (mine && kc_tick(&ctx, s->cfg, s->cals, &rep))
      kc_log_error("scheduler: pass failed: %s",
                   ctx.err_message ? ctx.err_message : kc_err_message(ctx.err));
    else if (mine && (rep.notices || rep.instances || rep.emails || rep.sms || rep.failures))
      kc_log_info("scheduler: %d notices, %d recurring instances, %d e-mails, %d SMS, %d failures",
                  rep.notices, rep.instances, rep.emails, rep.sms, rep.failures);
    kc_arena_free(&arena);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += s->cfg->tick_interval;
    pthread_mutex_lock(&s->lock);
    while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
      ;
    bool stop = s->stop;
    pthread_mutex_unlock(&s->lock);
    if (stop)
      break;
  }
  kc_conn_close(conn);
  return NULL;
}

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
  sched sc = {.cfg = &cli->cfg, .db = db, .cals = kc_server_workcal(srv)};
  pthread_t th;
  bool sched_on = cli->cfg.tick_interval > 0 && !kc_notify_init();
  if (sched_on) {
    pthread_mutex_init(&sc.lock, NULL);
    pthread_cond_init(&sc.wake, NULL);
    sched_on = pthread_create(&th, NULL, sched_main, &sc) == 0;
    if (sched_on)
      kc_log_info("scheduler: a pass every %d s", cli->cfg.tick_interval);
  }
  int sig = 0;
  sigwait(&set, &sig);
  kc_log_info("signal %d: stopping", sig);
  if (sched_on) {
    pthread_mutex_lock(&sc.lock);
    sc.stop = true;
    pthread_cond_signal(&sc.wake);
    pthread_mutex_unlock(&sc.lock);
    pthread_join(th, NULL);
    pthread_cond_destroy(&sc.wake);
    pthread_mutex_destroy(&sc.lock);
    kc_notify_cleanup();
  }
  kc_server_stop(srv);
  kc_db_close(db);
  kc_pdf_shutdown(); /* the font caches the slips filled, for a clean leak check */
  return 0;
}
