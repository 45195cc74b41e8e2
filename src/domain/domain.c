/* domain.c: start-up of the domain (see domain.h). The one file that knows every module
 * whose dates follow the calendar; the calendar itself knows none of them. */
#include "domain/domain.h"
#include "domain/cases/case.h"
#include "domain/core/lclock.h"
#include "domain/onestop/dossier.h"
#include <stddef.h>
#include <stdio.h>

kc_err kc_domain_init(const char *data_dir, char **msg)
{
  *msg = NULL;
  /* Tasks store no date computed on the calendar (their deadlines are set by the assigning
   * side; due_soon is derived when read), so only the dossiers register. */
  kc_lc_dependant_register("dossiers", kc_dossier_recompute_due);
  kc_case_init(); /* "cases": the clocks of open cases */
  if (!data_dir)
    return KC_OK;
  kc_err e = kc_lc_rules_global_init(data_dir, msg);
  if (e)
    return e;
  /* the case kinds, checked against the rules just loaded */
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/case-kinds", data_dir);
  kc_case_kinds_reset();
  return kc_case_kinds_load(dir, msg);
}

void kc_domain_shutdown(void)
{
  kc_case_kinds_reset();
  kc_lc_rules_global_free();
}
