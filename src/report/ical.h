/* ical.h: an iCalendar (RFC 5545) feed of task deadlines: one all-day VEVENT per task on its
 * due date, CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character,
 * text escaped. */
#ifndef KC_REPORT_ICAL_H
#define KC_REPORT_ICAL_H
#include <jansson.h>
#include <stdint.h>

/* Renders tasks (JSON records with id, title, due_date, lead_unit_name, status) as a
 * VCALENDAR named `name` into a malloc'd NUL-terminated buffer; the caller frees it.
 * `now` stamps DTSTAMP; `link` (may be NULL) is a URL prefix to which "#/tasks/<id>" is
 * appended. Can't fail (out of memory aborts). */
char *kc_ical_render(json_t *tasks, const char *name, int64_t now, const char *link, size_t *len);

#endif
