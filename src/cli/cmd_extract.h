/* `kycuong extract FILE [--format tsv|json] [--units PATH]`: lists the tasks a directive assigns
 * (src/extract). */
#ifndef KC_CLI_CMD_EXTRACT_H
#define KC_CLI_CMD_EXTRACT_H

/* Runs the subcommand; argv[0] is "extract". Reads FILE (UTF-8 text; "-" for stdin), resolves
 * unit names against data_dir/hanoi-units-2017.tsv (or --units PATH) and prints the tasks to
 * stdout. Messages go to stderr in Vietnamese. Returns the process exit code: 0 success,
 * 2 bad usage or unsupported input (.pdf, .docx, not UTF-8), 1 when a file cannot be read. */
int kc_cli_extract(int argc, char **argv, const char *data_dir);

#endif
