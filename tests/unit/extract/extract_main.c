/* Manual driver (not a test): extract_main <data_dir> extract FILE [--format json] ... */
#include "cli/cmd_extract.h"

int main(int argc, char **argv)
{
  if (argc < 3)
    return 2;
  return kc_cli_extract(argc - 2, argv + 2, argv[1]);
}
