/* access.h: who may do what, declared once. A role set names the roles that may use a
 * capability at all; the route table (src/http/routes.c) declares one per route, and the
 * router refuses any other role before the handler runs (403), so `kycuong routes`, the test
 * that walks the table and the web's navigation (GET /me's `allowed`) all read the same
 * declaration. The domain functions check the same sets (kc_actor_in), because they are also
 * called without HTTP (the CLI, the scheduler, the demo); what depends on the row (a unit
 * head edits the procedures of *its* subtree) stays in the domain as a scope check. */
#ifndef KC_DOMAIN_ACCESS_H
#define KC_DOMAIN_ACCESS_H
#include "domain/core/ctx.h"
#include <stdbool.h>
#include <stdint.h>

typedef uint16_t kc_roles; /* one bit per kc_role */
#define KC_ROLE_BIT(r) ((kc_roles)(1u << (r)))

#define KC_RS_PUBLIC KC_ROLE_BIT(KC_ROLE_PUBLIC)
#define KC_RS_OFFICER KC_ROLE_BIT(KC_ROLE_OFFICER)
#define KC_RS_DESK KC_ROLE_BIT(KC_ROLE_DESK)
#define KC_RS_UNIT_HEAD KC_ROLE_BIT(KC_ROLE_UNIT_HEAD)
#define KC_RS_SUPERVISOR KC_ROLE_BIT(KC_ROLE_SUPERVISOR)
#define KC_RS_LEADER KC_ROLE_BIT(KC_ROLE_LEADER)
#define KC_RS_ADMIN KC_ROLE_BIT(KC_ROLE_ADMIN)

/* Every signed-in account; every official (all but citizens); the city-wide roles. */
#define KC_RS_ANY ((kc_roles)(KC_ROLE_BIT(KC_ROLE__COUNT) - 1))
#define KC_RS_STAFF ((kc_roles)(KC_RS_ANY & ~KC_RS_PUBLIC))
#define KC_RS_CITY ((kc_roles)(KC_RS_SUPERVISOR | KC_RS_LEADER | KC_RS_ADMIN))

/* ---- the capabilities' role sets --------------------------------------------------------- */

/* org: the registry of units and the accounts are the administrators'; officials are kept
 * by their unit's head too; the audit log is read by supervisors and administrators. */
#define KC_RS_UNIT_WRITE KC_RS_ADMIN
#define KC_RS_ACCOUNTS KC_RS_ADMIN
#define KC_RS_OFFICIAL_WRITE ((kc_roles)(KC_RS_ADMIN | KC_RS_UNIT_HEAD))
#define KC_RS_AUDIT_READ ((kc_roles)(KC_RS_SUPERVISOR | KC_RS_ADMIN))
#define KC_RS_GROUP_WRITE KC_RS_CITY
#define KC_RS_CALENDAR_WRITE KC_RS_ADMIN
/* tasks: who issues directives and assigns tasks (the assigning side); who reports on a task
 * (the lead unit's head and officers); completing is open to both sides. */
#define KC_RS_ASSIGN ((kc_roles)(KC_RS_CITY | KC_RS_UNIT_HEAD))
#define KC_RS_LEAD ((kc_roles)(KC_RS_ADMIN | KC_RS_UNIT_HEAD | KC_RS_OFFICER))
#define KC_RS_LEAD_OR_ASSIGN ((kc_roles)(KC_RS_ASSIGN | KC_RS_LEAD))
/* onestop: the catalog is edited by unit heads (their subtree) and the city; dossiers are
 * received and moved by the desk, the officers, the heads, the leaders and the
 * administrators: supervisors look, they do not process. */
#define KC_RS_CATALOG_WRITE KC_RS_ASSIGN
#define KC_RS_DOSSIER_WORK                                                                         \
  ((kc_roles)(KC_RS_DESK | KC_RS_OFFICER | KC_RS_UNIT_HEAD | KC_RS_LEADER | KC_RS_ADMIN))

/* cases: every official reads the cases of their scope (the engine's scope check); who
 * receives a case and who takes each action is declared by its kind (data/case-kinds). */
#define KC_RS_CASE_READ KC_RS_STAFF

/* Whether the acting account's role is in `roles`; the system (a NULL actor) always is. */
static inline bool kc_actor_in(const kc_actor *a, kc_roles roles)
{
  return !a || ((unsigned)a->role < KC_ROLE__COUNT && (roles & KC_ROLE_BIT(a->role)));
}

/* "officer,desk,unit_head" into buf (cap bytes): the roles of a set, in kc_role order. */
void kc_roles_format(kc_roles roles, char *buf, size_t cap);

#endif
