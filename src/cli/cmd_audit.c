/* cmd_audit.c: `kycuong audit verify`: walk the audit hash chain; exit 0 when intact, 1
 * naming the first bad record otherwise. */
#include "cli/cli.h"
#include "domain/org/audit.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int kc_cmd_audit(kc_cli *cli)
{
  if (cli->argc != 2 || strcmp(cli->argv[1], "verify")) {
    fprintf(stderr, "Cách dùng: kycuong audit verify [--db PATH]\n");
    return 2;
  }
  kc_db *db;
  kc_conn *conn;
  if (kc_cli_open_db(cli, &db, &conn))
    return 1;
  int64_t checked, bad;
  char msg[512] = "";
  kc_err e =
      kc_audit_verify(conn, &checked, &bad, msg, sizeof msg, isatty(STDERR_FILENO) ? stderr : NULL);
  int rc = 0;
  if (e == KC_OK) {
    printf("Nhật ký thay đổi nguyên vẹn: %" PRId64 " bản ghi, chuỗi băm khớp.\n", checked);
  } else if (e == KC_ECONFLICT) {
    printf("Nhật ký thay đổi bị sửa: bản ghi %" PRId64 " không khớp (%s). "
           "%" PRId64 " bản ghi trước đó hợp lệ.\n",
           bad, msg, checked);
    rc = 1;
  } else {
    fprintf(stderr, "kycuong audit verify: lỗi đọc cơ sở dữ liệu: %s\n", kc_conn_errmsg(conn));
    rc = 1;
  }
  kc_conn_close(conn);
  kc_db_close(db);
  return rc;
}
