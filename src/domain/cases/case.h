/* case.h: the case engine, the API of everything that is received, handled and answered
 * within a legal limit (feedback, complaints, denunciations, inspection remedies, discipline
 * cases, document reviews). A module does not write its own state machine: it declares a
 * case KIND as data (states, transitions, clocks, fields), in a JSON file under
 * data/case-kinds/ or from C, and the engine keeps for every case of that kind its state, the
 * assignment (unit, official), declared fields, links to other records, the history of every
 * action, its legal clocks (src/domain/core/lclock.h) with the overdue / due-soon state, the
 * reminders and escalations, scope checks, optimistic versions and the audit record of every
 * change. Design note and an example: docs/internals/cases.md.
 *
 * Life cycle: kinds are registered at start-up (kc_domain_init loads data/case-kinds/ with
 * kc_case_kinds_load; kc_case_kind_register adds one written in C), before any thread runs,
 * and only read afterwards; cases are then created and acted on
 * through kc_case_create and kc_case_act, each one transaction that writes its audit record.
 * Records are JSON objects (docs/api.md "Cases"); the caller owns each json_t it receives. */
#ifndef KC_DOMAIN_CASE_H
#define KC_DOMAIN_CASE_H
#include "calendar/calendar.h"
#include "domain/core/ctx.h"
#include "domain/core/lclock.h"
#include "domain/core/notice.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- kinds ---------------------------------------------------------------------------- */

/* Bounds a kind must keep (checked when it is registered). */
#define KC_CASE_MAX_STATES 32
#define KC_CASE_MAX_TRANSITIONS 64
#define KC_CASE_MAX_CLOCKS 8
#define KC_CASE_MAX_FIELDS 32
#define KC_CASE_MAX_LINKS 32 /* links given with one create or act call */

/* The type of a declared field, in JSON: "string" (one line, at most `max` bytes, 1,000 by
 * default), "text" (20,000 by default), "int", "bool", "date" (YYYY-MM-DD), "enum" (one of
 * `values`). */
typedef enum {
  KC_CASE_STRING,
  KC_CASE_TEXT,
  KC_CASE_INT,
  KC_CASE_BOOL,
  KC_CASE_DATE,
  KC_CASE_ENUM,
  KC_CASE_FIELD__COUNT
} kc_case_field_type;

const char *kc_case_field_type_name(kc_case_field_type t);
int kc_case_field_type_parse(const char *s); /* -1 when unknown or NULL */

typedef struct kc_case_field {
  const char *name;  /* the member of the case's "fields" object */
  const char *label; /* Vietnamese, used in messages and forms */
  kc_case_field_type type;
  bool required;
  int64_t max;               /* string/text: bytes (0: the default); int: largest value (0: none) */
  const char *const *values; /* enum: the allowed codes, NULL-terminated */
} kc_case_field;

typedef struct kc_case_state {
  const char *code, *name; /* "received", "Đã tiếp nhận" */
  bool final;              /* a closed case: reaching it ends every clock still open */
} kc_case_state;

typedef struct kc_case_clock {
  const char *code, *name; /* "settle", "Thời hạn giải quyết" */
  const char *rule;        /* the legal-clock rule code (kc_lc_rules_find) */
  int soon_days;           /* working days left that make it due soon; < 0: the setting */
} kc_case_clock;

/* Roles as a bit set: KC_CASE_ROLE(KC_ROLE_OFFICER) | ... */
#define KC_CASE_ROLE(r) (1u << (unsigned)(r))

/* One transition: from one of `from`, the action `action` leads to `to`; who may take it;
 * what it does to the clocks. The lists are NULL-terminated arrays of codes (NULL: none).
 * `start` (re)starts a clock from the action's instant (a clock started before loses its
 * pauses and extensions: a restart, e.g. after a suspension is lifted); `pause` stops a
 * running clock; `resume` lets a paused one run again (the days paused are added back);
 * `end` stops it for good and records whether it ended early, on time or late. A clock not in
 * the state an entry needs is left as it is (pausing a paused clock does nothing). */
typedef struct kc_case_transition {
  const char *action; /* "accept"; one action may appear in several transitions from
                         different states */
  const char *name;   /* Vietnamese: "Thụ lý" */
  const char *const *from;
  const char *to; /* NULL: the state stays (a note, an extension, a transfer) */
  unsigned roles;
  const char *const *start, *const *pause, *const *resume, *const *end;
  const char *extend; /* a clock this action extends by extend_count units of its rule */
  int extend_count;
  bool note_required; /* the action needs a note (a reason, a reply) */
  bool assign;        /* the action may change the assignment (unit_id, official_id) */
} kc_case_transition;

typedef struct kc_case_kind {
  const char *code, *name;         /* "feedback", "Phản ánh, kiến nghị" */
  const char *initial;             /* the state a new case is in */
  unsigned create_roles;           /* who may receive a case of this kind */
  const char *const *create_start; /* clocks started at receipt (NULL-terminated, NULL: none) */
  const kc_case_state *states;
  size_t nstates;
  const kc_case_clock *clocks;
  size_t nclocks;
  const kc_case_field *fields;
  size_t nfields;
  const kc_case_transition *transitions;
  size_t ntransitions;
} kc_case_kind;

/* The legal-clock rule set kinds' clocks are read from: rs, or (NULL, the default) the
 * process's set kc_lc_rules_global(). Set before registering kinds (tests use their own). */
void kc_case_use_rules(const kc_lc_rules *rs);
const kc_lc_rules *kc_case_rules(void);

/* Registers a kind written in C. Checks it: codes present and unique, the initial state and
 * every transition's states declared, clocks named in transitions declared, every clock's
 * rule known to the rule set, field types and enum values, a code not registered yet. On
 * error returns KC_EFIELD with a message naming the kind and the member in *msg (malloc'd;
 * the caller frees it) and registers nothing. The kind and everything it points to must
 * outlive the registry (static storage). Not thread-safe: start-up only. */
kc_err kc_case_kind_register(const kc_case_kind *k, char **msg) KC_WUR;
/* Reads a kind from JSON (docs/internals/cases.md gives the format) and registers it; the
 * registry owns the copy. Errors as kc_case_kind_register, naming `origin` (a file name). */
kc_err kc_case_kind_register_json(const json_t *doc, const char *origin, char **msg) KC_WUR;
/* Registers every *.json file of dir (data/case-kinds), in name order. A missing dir
 * registers nothing and succeeds. On error (KC_EIO unreadable, KC_EJSON not JSON, KC_EFIELD)
 * *msg names the file; the kinds of earlier files stay registered. */
kc_err kc_case_kinds_load(const char *dir, char **msg) KC_WUR;
/* The registered kind with this code; NULL when none. */
const kc_case_kind *kc_case_kind_find(const char *code);
/* Forgets every kind and frees those read from JSON (tests; process end). */
void kc_case_kinds_reset(void);
/* All kinds for the API: {"items":[{code, name, initial, states, clocks (with their rule's
 * source), fields, transitions, create_roles}]}, by code. */
json_t *kc_case_kinds_json(void);
/* The same items for the actor (GET /case-kinds): every signed-in role but a citizen's
 * (KC_EFORBIDDEN). *items is a new array the caller owns. */
kc_err kc_case_kinds_list(kc_ctx *ctx, json_t **items) KC_WUR;

/* ---- cases ---------------------------------------------------------------------------- */

/* A link to another record: target kind "dossier", "task", "official", "document", "unit"
 * or "case", and its id. */
typedef struct kc_case_link_in {
  const char *kind;
  int64_t id;
  const char *note; /* may be NULL */
} kc_case_link_in;

typedef struct kc_case_in {
  const char *kind;      /* a registered kind's code */
  const char *title;     /* required, at most 1,000 bytes */
  int64_t unit_id;       /* the handling unit; 0: the owner unit */
  int64_t owner_unit_id; /* the receiving unit; 0: the actor's unit */
  int64_t official_id;   /* the assigned official, of the handling unit's subtree; 0: none */
  int64_t received_at;   /* when it was received (not in the future); 0: now. Clocks started
                            at receipt start then. */
  const json_t *fields;  /* object of the kind's fields (NULL: none given); not taken over */
  const char *note, *document;
  const kc_case_link_in *links;
  size_t nlinks;
} kc_case_in;

/* Receives a case: checks the kind, the actor's role (the kind's create_roles) and scope
 * (both units in the actor's subtree unless city-wide), the title, the fields (a missing
 * required field or a bad value is KC_EFIELD naming "fields.<name>"), the links (each record
 * must exist); writes the case in its initial state, the creation event, its links, starts
 * the clocks the kind starts at receipt, and the audit record, in one transaction. *out: the
 * case as kc_case_get gives it. On error nothing is written. */
kc_err kc_case_create(kc_ctx *ctx, const kc_case_in *in, json_t **out) KC_WUR;

/* One case with its history ("events", oldest first), "links", "clocks" (each with due
 * date, rule and source, state, overdue, due_soon, result) and "actions" (those the actor may
 * take now). KC_ENOTFOUND when absent or outside the actor's scope. */
kc_err kc_case_get(kc_ctx *ctx, int64_t id, json_t **out) KC_WUR;

typedef struct kc_case_filter {
  const char *kind, *state; /* NULL: any */
  const char *q;            /* accent-insensitive words of the title */
  int64_t unit_id;          /* the handling unit, exactly; 0: any */
  int64_t official_id;      /* 0: any */
  bool mine;                /* only cases the actor's unit subtree handles (unit_id there; a
                               case it only received is left out); none for an account
                               without a unit */
  int overdue;              /* 1: a running clock is overdue; 0: none is; -1: any */
  bool due_soon;            /* a running clock is due soon and none overdue */
  bool open;                /* not in a final state */
  int64_t limit, offset;
} kc_case_filter;

/* The page of cases a filter selects among those the actor may see, newest received first,
 * as records without history; *total counts all matches. */
kc_err kc_case_list(kc_ctx *ctx, const kc_case_filter *f, json_t **items, int64_t *total) KC_WUR;

typedef struct kc_case_act_in {
  const char *action;
  int64_t version; /* required: the case's version the actor saw */
  const char *note, *document;
  int64_t attachment_id; /* 0: none */
  int64_t unit_id;       /* assign actions: the new handling unit (0: unchanged) */
  int64_t official_id;   /* assign actions: the new official (0: unchanged; -1: none) */
  const kc_case_link_in *links;
  size_t nlinks;
} kc_case_act_in;

/* Takes an action on a case. Refusals, nothing written: KC_ENOTFOUND (absent or outside the
 * scope), KC_EFIELD naming "action" (the kind has no such action) or another member,
 * KC_EFORBIDDEN (the actor's role may not take it), KC_ECONFLICT naming "version" (a stale
 * version) or "state" (the action is not allowed in the current state). Otherwise moves the
 * case to the next state, applies the transition's clocks, the assignment and the links,
 * appends the event, bumps the version and writes the audit record, in one transaction.
 * *out: the case as kc_case_get gives it. */
kc_err kc_case_act(kc_ctx *ctx, int64_t id, const kc_case_act_in *in, json_t **out) KC_WUR;

/* ---- the scheduler and the calendar --------------------------------------------------- */

/* Plans today's notices about the running clocks of open cases (run by the scheduler, only
 * on working days): a reminder to the handling unit's staff and the assigned official when a
 * clock becomes due soon and on its due day; an overdue notice on the first working day
 * after it and every rules->overdue_every working days; an escalation to the heads of the
 * handling unit's parent and of the owner unit, and to the account that received the case,
 * once rules->escalate_after working days have passed. Idempotent (each notice has a unique
 * key naming the case, the clock, its due date and the stage). *created counts new rows. */
kc_err kc_case_plan_notices(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_prod_rules *rules,
                            int *created) KC_WUR;

/* Recomputes every open clock's dates on cal under its pinned rule version, writing an audit
 * record for each case whose dates changed; *changed counts them. The legal-clock registry
 * of dependants calls it after a calendar edit (kc_case_init registers it). */
kc_err kc_case_recompute(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed) KC_WUR;

/* Registers the engine with the legal-clock module (its calendar dependant "cases");
 * kc_domain_init calls it. Start-up only; can't fail. */
void kc_case_init(void);

#endif
