/* Standalone driver for manual testing only: `calendar_main <data_dir> calendar ...`.
 * The real entry point is `kycuong calendar`, wired in src/cli/main.c. */
#include "cli/cmd_calendar.h"

int main(int argc, char **argv)
{
  if (argc < 3)
    return 2;
  return kc_cli_calendar(argc - 2, argv + 2, argv[1]);
}
