/* domain.h: what a process does once before it uses the domain: load the legal-clock rule
 * sets from <data_dir>/clocks/ and the case kinds from <data_dir>/case-kinds/, and register
 * the modules whose stored dates depend on the working calendar (lclock.h's dependants). The
 * server, the CLI and the tests call it. */
#ifndef KC_DOMAIN_DOMAIN_H
#define KC_DOMAIN_DOMAIN_H
#include "base/err.h"

/* Registers the calendar's dependants ("dossiers": open dossiers' due days; "cases": the
 * clocks of open cases) and, when data_dir is not NULL, loads the legal-clock rules
 * (kc_lc_rules_global_init) and then the case kinds (kc_case_kinds_load; kinds registered
 * before are forgotten). Call before any thread runs; calling again reloads the rules and the
 * kinds and keeps the registrations. On a rule or kind error returns its code with *msg
 * (malloc'd, caller frees) naming the file, rule or kind and member; *msg is NULL on
 * success. */
kc_err kc_domain_init(const char *data_dir, char **msg) KC_WUR;
/* Frees what kc_domain_init loaded. */
void kc_domain_shutdown(void);

#endif
