/* tables.c: the tables `kycuong export` copies, in dependency order (see copy.h). A migration
 * that creates a table adds it here with its version; kc_copy_check (run by export and
 * import, and so by tests/api/export.test.mjs) fails until it does. Mirrors the migrations in
 * schema/. */
#include "store/copy.h"

const kc_copy_table kc_copy_tables[] = {
    /* 0001_foundation.sql. Units by depth first: a unit moved under a younger parent has a
     * smaller id than its parent, and the parent must be inserted first. */
    {"units", "depth, id", "id", false, 1},
    {"officials", "id", "id", false, 1},
    {"official_terms", "term, official_id", NULL, false, 1},
    {"accounts", "id", "id", false, 1},
    {"sessions", "id", "id", false, 1},
    {"api_tokens", "id", "id", false, 1},
    {"login_attempts", "id", "id", false, 1},
    {"audit_log", "id", "id", false, 1},
    {"audit_head", "id", NULL, true, 1},
    /* 0002_calendar.sql */
    {"calendar_sources", "id", "id", false, 2},
    {"calendar_years", "year", NULL, false, 2},
    {"calendar_entries", "id", "id", false, 2},
    {"calendar_meta", "id", NULL, true, 2},
    /* 0003_tasks.sql. A task's parent (a recurring template, a group task) is created
     * before its children, so id order puts parents first. */
    {"directives", "id", "id", false, 3},
    {"unit_groups", "id", "id", false, 3},
    {"unit_group_members", "group_id, unit_id", NULL, false, 3},
    {"tasks", "id", "id", false, 3},
    {"task_support_units", "task_id, unit_id", NULL, false, 3},
    {"task_progress", "id", "id", false, 3},
    {"task_extensions", "id", "id", false, 3},
    {"task_due_history", "id", "id", false, 3},
    /* 0005_ical.sql */
    {"ical_tokens", "id", "id", false, 5},
    {"attachments", "id", "id", false, 7},
    /* 0008_onestop.sql */
    {"onestop_rules", "id", "id", false, 8},
    {"procedures", "id", "id", false, 8},
    {"dossier_seq", "unit_id, day", NULL, false, 8},
    {"dossiers", "id", "id", false, 8},
    {"dossier_steps", "id", "id", false, 8},
    {"dossier_supplements", "id", "id", false, 8},
    {"dossier_apologies", "id", "id", false, 8},
    {"dossier_events", "id", "id", false, 8},
    {"dossier_unit_days", "unit_id, day", NULL, false, 8},
    {"dossier_procedure_days", "procedure_id, day", NULL, false, 8},
    /* 0011_cases.sql */
    {"cases", "id", "id", false, 11},
    {"case_events", "id", "id", false, 11},
    {"case_links", "id", "id", false, 11},
    {"case_clocks", "id", "id", false, 11},
    {"case_clock_pauses", "id", "id", false, 11},
    {"case_clock_extensions", "id", "id", false, 11},
    /* 0004_notices.sql, rebuilt by 0008 to refer to dossiers too, and by 0011 to cases */
    {"notices", "id", "id", false, 4},
};
const int kc_copy_table_count = sizeof kc_copy_tables / sizeof *kc_copy_tables;
