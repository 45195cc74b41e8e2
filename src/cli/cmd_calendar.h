/* `kycuong calendar ...`: lunar/solar conversion, day kinds, working-day arithmetic and a month
 * grid, for people and scripts. */
#ifndef KC_CLI_CMD_CALENDAR_H
#define KC_CLI_CMD_CALENDAR_H

/* Runs the subcommand; argv[0] is "calendar". Output goes to stdout, one item per line;
 * messages for bad input go to stderr in Vietnamese. `data_dir` is the repository's data/
 * folder: official schedules are read from the .tsv files in data_dir/calendar (only by the
 * subcommands that need working days). Returns the process exit code: 0 success, 2 bad input
 * (usage, dates, numbers), 1 when the schedule data cannot be read or parsed. */
int kc_cli_calendar(int argc, char **argv, const char *data_dir);

#endif
