/* domain.c: start-up of the domain (see domain.h). The one file that knows every module
 * whose dates follow the calendar; the calendar itself knows none of them. */
#include "domain/domain.h"
#include "domain/core/lclock.h"
#include "domain/onestop/dossier.h"
#include <stddef.h>

kc_err kc_domain_init(const char *data_dir, char **msg)
{
  *msg = NULL;
  /* Tasks store no date computed on the calendar (their deadlines are set by the assigning
   * side; due_soon is derived when read), so only the dossiers register. */
  kc_lc_dependant_register("dossiers", kc_dossier_recompute_due);
  if (!data_dir)
    return KC_OK;
  return kc_lc_rules_global_init(data_dir, msg);
}

void kc_domain_shutdown(void)
{
  kc_lc_rules_global_free();
}
