/* handlers.h: the API's handlers, one file per resource. Each parses its input into the
 * domain's structs, calls the domain and writes the answer; none contains rules or SQL. */
#ifndef KC_HTTP_HANDLERS_H
#define KC_HTTP_HANDLERS_H
#include "http/fields.h"

struct kc_column;
/* Answers items (taking ownership) as CSV or XLSX, as the "format" query asks. */
void kc_h_send_table(kc_req *r, json_t *items, const struct kc_column *cols, size_t ncols,
                     const char *title, const char *file);

/* The body of a directive (POST, PATCH /directives; the directive of the reader's confirm). */
extern const kc_field kc_h_directive_fields[];
extern const size_t kc_h_directive_nfields;

void kc_h_session_create(kc_req *r);
void kc_h_session_delete(kc_req *r);
void kc_h_me(kc_req *r);
void kc_h_tokens_list(kc_req *r);
void kc_h_tokens_create(kc_req *r);
void kc_h_tokens_delete(kc_req *r);
void kc_h_openapi(kc_req *r);

void kc_h_units_list(kc_req *r);
void kc_h_units_tree(kc_req *r);
void kc_h_units_get(kc_req *r);
void kc_h_units_create(kc_req *r);
void kc_h_units_update(kc_req *r);
void kc_h_units_move(kc_req *r);

void kc_h_officials_list(kc_req *r);
void kc_h_officials_get(kc_req *r);
void kc_h_officials_create(kc_req *r);
void kc_h_officials_update(kc_req *r);

void kc_h_accounts_list(kc_req *r);
void kc_h_accounts_get(kc_req *r);
void kc_h_accounts_create(kc_req *r);
void kc_h_accounts_update(kc_req *r);

void kc_h_audit_list(kc_req *r);

void kc_h_calendar_days(kc_req *r);
void kc_h_calendar_add(kc_req *r);
void kc_h_calendar_count(kc_req *r);
void kc_h_calendar_schedule(kc_req *r);
void kc_h_calendar_entry_create(kc_req *r);
void kc_h_calendar_entry_update(kc_req *r);
void kc_h_calendar_entry_delete(kc_req *r);
void kc_h_calendar_year_put(kc_req *r);
void kc_h_calendar_year_delete(kc_req *r);
void kc_h_legal_clocks(kc_req *r);

void kc_h_directives_list(kc_req *r);
void kc_h_directives_get(kc_req *r);
void kc_h_directives_create(kc_req *r);
void kc_h_directives_update(kc_req *r);
void kc_h_tasks_list(kc_req *r);
void kc_h_tasks_get(kc_req *r);
void kc_h_tasks_create(kc_req *r);
void kc_h_tasks_update(kc_req *r);
void kc_h_tasks_progress_add(kc_req *r);
void kc_h_tasks_progress_list(kc_req *r);
void kc_h_tasks_complete(kc_req *r);
void kc_h_tasks_reopen(kc_req *r);
void kc_h_tasks_cancel(kc_req *r);
void kc_h_tasks_extensions_list(kc_req *r);
void kc_h_tasks_extensions_create(kc_req *r);
void kc_h_extensions_approve(kc_req *r);
void kc_h_extensions_refuse(kc_req *r);
void kc_h_tasks_due_history(kc_req *r);
void kc_h_unit_groups_list(kc_req *r);
void kc_h_unit_groups_create(kc_req *r);
void kc_h_unit_groups_update(kc_req *r);
void kc_h_stats_tasks(kc_req *r);
/* The statistics of GET /stats/tasks for the query's from, to and directive_id: false with
 * the answer made (400 or the domain's error), true with *out the caller's. */
bool kc_h_stats_tasks_query(kc_req *r, const char **from, const char **to, json_t **out);
void kc_h_tasks_notices(kc_req *r);
void kc_h_inbox(kc_req *r);
void kc_h_inbox_read(kc_req *r);
void kc_h_home(kc_req *r);
void kc_h_tasks_export(kc_req *r);
void kc_h_stats_tasks_export(kc_req *r);
void kc_h_officials_export(kc_req *r);
void kc_h_ical_tokens_list(kc_req *r);
void kc_h_ical_tokens_create(kc_req *r);
void kc_h_ical_tokens_delete(kc_req *r);
void kc_h_public_ical(kc_req *r);
void kc_h_directives_extract(kc_req *r);
void kc_h_directives_confirm(kc_req *r);
void kc_h_task_attachments_add(kc_req *r);
void kc_h_task_attachments_list(kc_req *r);
void kc_h_directive_attachments_add(kc_req *r);
void kc_h_directive_attachments_list(kc_req *r);
void kc_h_attachment_get(kc_req *r);

void kc_h_onestop_rules(kc_req *r);
void kc_h_procedures_list(kc_req *r);
void kc_h_procedures_create(kc_req *r);
void kc_h_procedures_fields(kc_req *r);
void kc_h_procedures_export(kc_req *r);
void kc_h_procedures_import(kc_req *r);
void kc_h_procedures_get(kc_req *r);
void kc_h_procedures_update(kc_req *r);
void kc_h_public_procedures_list(kc_req *r);
void kc_h_public_procedures_fields(kc_req *r);
void kc_h_public_procedures_get(kc_req *r);
void kc_h_procedures_form_set(kc_req *r);
void kc_h_procedures_form_get(kc_req *r);
void kc_h_public_procedures_form_get(kc_req *r);

void kc_h_dossiers_list(kc_req *r);
void kc_h_dossiers_create(kc_req *r);
void kc_h_dossiers_export(kc_req *r);
void kc_h_dossiers_get(kc_req *r);
/* Every transition (the action is the path's last segment). */
void kc_h_dossiers_act(kc_req *r);
void kc_h_public_dossier(kc_req *r);
void kc_h_dossiers_receipt(kc_req *r);
void kc_h_dossiers_supplement_slip(kc_req *r);
void kc_h_dossiers_refusal_slip(kc_req *r);
void kc_h_dossiers_apology_slip(kc_req *r);
void kc_h_dossiers_control_slip(kc_req *r);
void kc_h_stats_dossiers(kc_req *r);
void kc_h_stats_dossiers_export(kc_req *r);

/* h_cases.c */
void kc_h_case_kinds_list(kc_req *r);
void kc_h_cases_list(kc_req *r);
void kc_h_cases_create(kc_req *r);
void kc_h_cases_get(kc_req *r);
void kc_h_cases_act(kc_req *r);

#endif
