/* main.c: the kycuong binary: global options, then one subcommand. */
#include "base/crypto.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/cmd_calendar.h"
#include "cli/cmd_extract.h"
#include "domain/domain.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
  fputs(
      "kycuong " KC_VERSION " — hệ thống theo dõi kỷ luật, kỷ cương hành chính\n"
      "\n"
      "Cách dùng: kycuong [tùy chọn] LỆNH [tham số]\n"
      "\n"
      "Lệnh:\n"
      "  serve                 chạy máy chủ web và API\n"
      "  init [--demo] [--officials N]\n"
      "                        tạo cơ sở dữ liệu (và dữ liệu mẫu)\n"
      "  audit verify          kiểm tra chuỗi băm của nhật ký thay đổi\n"
      "  export [--out FILE]   xuất toàn bộ dữ liệu (JSON Lines, docs/export-format.md)\n"
      "  import FILE           nhập tệp xuất vào một cơ sở dữ liệu mới, trống\n"
      "  backup --out FILE     sao lưu nhất quán tệp SQLite khi máy chủ đang chạy\n"
      "  tick                  chạy một lượt đôn đốc (nhắc hạn, quá hạn, báo cáo vượt cấp)\n"
      "  calendar ...          lịch âm, ngày nghỉ, ngày làm việc (kycuong calendar help)\n"
      "  extract FILE [--format tsv|json]\n"
      "                        đọc văn bản chỉ đạo, đề xuất các nhiệm vụ\n"
      "  routes                in bảng định tuyến API\n"
      "  version               in phiên bản\n"
      "  help                  in hướng dẫn này\n"
      "\n"
      "Tùy chọn (đặt trước hoặc sau LỆNH):\n"
      "  --db PATH|URL         tệp SQLite (mặc định var/kycuong.db) hoặc postgres://...\n"
      "  --listen ADDR:PORT    địa chỉ lắng nghe (mặc định 127.0.0.1:8080)\n"
      "  --config PATH         tệp cấu hình (key = value)\n"
      "  --now ISO-8601        cố định đồng hồ (cho kiểm thử và trình diễn)\n"
      "  --web-dir DIR, --data-dir DIR, --threads N\n"
      "\n"
      "Biến môi trường: KYCUONG_DB, KYCUONG_LISTEN, KYCUONG_CONFIG, KYCUONG_NOW, KYCUONG_WEB_DIR,\n"
      "KYCUONG_DATA_DIR, KYCUONG_THREADS, KYCUONG_ADMIN_PASSWORD, KYCUONG_DEMO_PASSWORD.\n",
      out);
}

/* Options that take a value, mapped to config keys. */
static const struct {
  const char *flag, *key;
} value_flags[] = {
    {"--db", "db"},           {"--listen", "listen"},     {"--now", "now"},
    {"--web-dir", "web_dir"}, {"--data-dir", "data_dir"}, {"--threads", "threads"},
};

int main(int argc, char **argv)
{
  kc_cli cli;
  kc_config_defaults(&cli.cfg);
  char err[600];

  /* The config file comes first so that environment and flags override it. */
  const char *config = getenv("KYCUONG_CONFIG");
  for (int i = 1; i < argc - 1; i++)
    if (!strcmp(argv[i], "--config"))
      config = argv[i + 1];
  if (config && *config && kc_config_load_file(&cli.cfg, config, err, sizeof err)) {
    fprintf(stderr, "kycuong: %s\n", err);
    return 2;
  }
  if (kc_config_load_env(&cli.cfg, err, sizeof err)) {
    fprintf(stderr, "kycuong: %s\n", err);
    return 2;
  }

  /* Pull global options out wherever they stand; what remains is the subcommand. */
  char **rest = calloc((size_t)argc + 1, sizeof *rest);
  int nrest = 0;
  for (int i = 1; i < argc; i++) {
    bool taken = false;
    if (!strcmp(argv[i], "--config")) {
      i++;
      continue;
    }
    for (size_t f = 0; f < sizeof value_flags / sizeof *value_flags; f++) {
      if (strcmp(argv[i], value_flags[f].flag))
        continue;
      if (i + 1 >= argc) {
        fprintf(stderr, "kycuong: thiếu giá trị sau %s\n", argv[i]);
        free(rest);
        return 2;
      }
      if (kc_config_set(&cli.cfg, value_flags[f].key, argv[i + 1], err, sizeof err)) {
        fprintf(stderr, "kycuong: %s %s: %s\n", argv[i], argv[i + 1], err);
        free(rest);
        return 2;
      }
      i++;
      taken = true;
      break;
    }
    if (!taken)
      rest[nrest++] = argv[i];
  }
  cli.argc = nrest;
  cli.argv = rest;
  int rc;
  const char *cmd = nrest ? rest[0] : "help";
  if (kc_crypto_init()) {
    fprintf(stderr, "kycuong: cannot initialise libsodium\n");
    free(rest);
    return 1;
  }
  bool info = !strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
              !strcmp(cmd, "version") || !strcmp(cmd, "--version");
  /* the legal-clock rules are read once here, before any thread runs */
  char *dmsg = NULL;
  if (!info && kc_domain_init(cli.cfg.data_dir, &dmsg)) {
    fprintf(stderr, "kycuong: %s\n", dmsg ? dmsg : "cannot load the legal-clock rules");
    free(dmsg);
    free(rest);
    return 1;
  }
  if (!strcmp(cmd, "serve"))
    rc = kc_cmd_serve(&cli);
  else if (!strcmp(cmd, "init"))
    rc = kc_cmd_init(&cli);
  else if (!strcmp(cmd, "audit"))
    rc = kc_cmd_audit(&cli);
  else if (!strcmp(cmd, "export"))
    rc = kc_cmd_export(&cli);
  else if (!strcmp(cmd, "import"))
    rc = kc_cmd_import(&cli);
  else if (!strcmp(cmd, "backup"))
    rc = kc_cmd_backup(&cli);
  else if (!strcmp(cmd, "routes"))
    rc = kc_cmd_routes(&cli);
  else if (!strcmp(cmd, "tick"))
    rc = kc_cmd_tick(&cli);
  else if (!strcmp(cmd, "extract"))
    rc = kc_cli_extract(nrest, rest, cli.cfg.data_dir);
  else if (!strcmp(cmd, "calendar"))
    rc = kc_cli_calendar(nrest, rest, cli.cfg.data_dir);
  else if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    printf("kycuong %s\n", KC_VERSION);
    rc = 0;
  } else if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    usage(stdout);
    rc = 0;
  } else {
    fprintf(stderr, "kycuong: lệnh không rõ '%s'\n\n", cmd);
    usage(stderr);
    rc = 2;
  }
  kc_domain_shutdown();
  free(rest);
  return rc;
}
