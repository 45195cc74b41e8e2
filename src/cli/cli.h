/* cli.h: the subcommands of the kycuong binary. Each returns the process exit code:
 * 0 success, 1 failure, 2 bad usage. */
#ifndef KC_CLI_CLI_H
#define KC_CLI_CLI_H
#include "base/config.h"
#include "store/store.h"

/* Options common to every subcommand, parsed by main. */
typedef struct kc_cli {
  kc_config cfg;
  int argc; /* the subcommand's own arguments (argv[0] is the subcommand) */
  char **argv;
} kc_cli;

int kc_cmd_serve(kc_cli *cli);
int kc_cmd_init(kc_cli *cli);
int kc_cmd_audit(kc_cli *cli);
int kc_cmd_routes(kc_cli *cli);
int kc_cmd_export(kc_cli *cli);
int kc_cmd_import(kc_cli *cli);
int kc_cmd_backup(kc_cli *cli);
int kc_cmd_tick(kc_cli *cli);

/* Opens the database named in the config and migrates it. On error prints to stderr. */
int kc_cli_open_db(kc_cli *cli, kc_db **db, kc_conn **conn);
/* Opens the database named in the config without creating or migrating it (export, backup:
 * they read a database a server may be running on). With version non-NULL also reads its
 * schema version and refuses an empty database or one newer than this binary. On error
 * prints to stderr, prefixed with `kycuong cmd:`. */
int kc_cli_open_existing(kc_cli *cli, const char *cmd, kc_db **db, kc_conn **conn, int *version);

#endif
