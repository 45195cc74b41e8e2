/* routes.c: the route table of the API. docs/openapi.json must describe exactly these
 * routes (tests/api/openapi.test.mjs checks it). */
#include "http/handlers.h"
#include "http/router.h"

const kc_route kc_routes[] = {
    {"POST", "/api/v1/session", kc_h_session_create, true},
    {"DELETE", "/api/v1/session", kc_h_session_delete, false},
    {"GET", "/api/v1/me", kc_h_me, false},
    {"GET", "/api/v1/openapi.json", kc_h_openapi, true},
    {"GET", "/api/v1/tokens", kc_h_tokens_list, false},
    {"POST", "/api/v1/tokens", kc_h_tokens_create, false},
    {"DELETE", "/api/v1/tokens/:id", kc_h_tokens_delete, false},

    {"GET", "/api/v1/units", kc_h_units_list, false},
    {"GET", "/api/v1/units/tree", kc_h_units_tree, false},
    {"GET", "/api/v1/units/:id", kc_h_units_get, false},
    {"POST", "/api/v1/units", kc_h_units_create, false},
    {"PATCH", "/api/v1/units/:id", kc_h_units_update, false},
    {"POST", "/api/v1/units/:id/move", kc_h_units_move, false},

    {"GET", "/api/v1/officials", kc_h_officials_list, false},
    {"GET", "/api/v1/officials/:id", kc_h_officials_get, false},
    {"POST", "/api/v1/officials", kc_h_officials_create, false},
    {"PATCH", "/api/v1/officials/:id", kc_h_officials_update, false},

    {"GET", "/api/v1/accounts", kc_h_accounts_list, false},
    {"GET", "/api/v1/accounts/:id", kc_h_accounts_get, false},
    {"POST", "/api/v1/accounts", kc_h_accounts_create, false},
    {"PATCH", "/api/v1/accounts/:id", kc_h_accounts_update, false},

    {"GET", "/api/v1/audit", kc_h_audit_list, false},

    {"GET", "/api/v1/calendar/days", kc_h_calendar_days, false},
    {"GET", "/api/v1/calendar/add", kc_h_calendar_add, false},
    {"GET", "/api/v1/calendar/count", kc_h_calendar_count, false},
    {"GET", "/api/v1/calendar/schedule", kc_h_calendar_schedule, false},
    {"POST", "/api/v1/calendar/entries", kc_h_calendar_entry_create, false},
    {"PATCH", "/api/v1/calendar/entries/:id", kc_h_calendar_entry_update, false},
    {"DELETE", "/api/v1/calendar/entries/:id", kc_h_calendar_entry_delete, false},
    {"PUT", "/api/v1/calendar/years/:id", kc_h_calendar_year_put, false},
    {"DELETE", "/api/v1/calendar/years/:id", kc_h_calendar_year_delete, false},

    {"GET", "/api/v1/directives", kc_h_directives_list, false},
    {"POST", "/api/v1/directives", kc_h_directives_create, false},
    {"POST", "/api/v1/directives/extract", kc_h_directives_extract, false},
    {"POST", "/api/v1/directives/confirm", kc_h_directives_confirm, false},
    {"GET", "/api/v1/directives/:id", kc_h_directives_get, false},
    {"PATCH", "/api/v1/directives/:id", kc_h_directives_update, false},

    {"GET", "/api/v1/tasks", kc_h_tasks_list, false},
    {"POST", "/api/v1/tasks", kc_h_tasks_create, false},
    {"GET", "/api/v1/tasks/:id", kc_h_tasks_get, false},
    {"PATCH", "/api/v1/tasks/:id", kc_h_tasks_update, false},
    {"GET", "/api/v1/tasks/:id/progress", kc_h_tasks_progress_list, false},
    {"POST", "/api/v1/tasks/:id/progress", kc_h_tasks_progress_add, false},
    {"POST", "/api/v1/tasks/:id/complete", kc_h_tasks_complete, false},
    {"POST", "/api/v1/tasks/:id/reopen", kc_h_tasks_reopen, false},
    {"POST", "/api/v1/tasks/:id/cancel", kc_h_tasks_cancel, false},
    {"GET", "/api/v1/tasks/:id/extensions", kc_h_tasks_extensions_list, false},
    {"POST", "/api/v1/tasks/:id/extensions", kc_h_tasks_extensions_create, false},
    {"POST", "/api/v1/extensions/:id/approve", kc_h_extensions_approve, false},
    {"POST", "/api/v1/extensions/:id/refuse", kc_h_extensions_refuse, false},
    {"GET", "/api/v1/tasks/:id/due-history", kc_h_tasks_due_history, false},
    {"GET", "/api/v1/tasks/:id/attachments", kc_h_task_attachments_list, false},
    {"POST", "/api/v1/tasks/:id/attachments", kc_h_task_attachments_add, false},
    {"GET", "/api/v1/directives/:id/attachments", kc_h_directive_attachments_list, false},
    {"POST", "/api/v1/directives/:id/attachments", kc_h_directive_attachments_add, false},
    {"GET", "/api/v1/attachments/:id", kc_h_attachment_get, false},

    {"GET", "/api/v1/unit-groups", kc_h_unit_groups_list, false},
    {"POST", "/api/v1/unit-groups", kc_h_unit_groups_create, false},
    {"PATCH", "/api/v1/unit-groups/:id", kc_h_unit_groups_update, false},

    {"GET", "/api/v1/stats/tasks", kc_h_stats_tasks, false},
    {"GET", "/api/v1/tasks/:id/notices", kc_h_tasks_notices, false},
    {"GET", "/api/v1/inbox", kc_h_inbox, false},
    {"POST", "/api/v1/inbox/:id/read", kc_h_inbox_read, false},

    {"GET", "/api/v1/tasks/export", kc_h_tasks_export, false},
    {"GET", "/api/v1/stats/tasks/export", kc_h_stats_tasks_export, false},
    {"GET", "/api/v1/officials/export", kc_h_officials_export, false},
    {"GET", "/api/v1/ical-tokens", kc_h_ical_tokens_list, false},
    {"POST", "/api/v1/ical-tokens", kc_h_ical_tokens_create, false},
    {"DELETE", "/api/v1/ical-tokens/:id", kc_h_ical_tokens_delete, false},
    {"GET", "/api/v1/public/ical", kc_h_public_ical, true},
};
const int kc_route_count = sizeof kc_routes / sizeof *kc_routes;
