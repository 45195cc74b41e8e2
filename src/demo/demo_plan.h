/* demo_plan.h: `kycuong init --demo` loads Plan 69/KH-UBND the way a person would: the
 * directive reader proposes its tasks from the text, and they are confirmed as proposed. */
#ifndef KC_EXTRACT_DEMO_PLAN_H
#define KC_EXTRACT_DEMO_PLAN_H
#include "demo/timeline.h"
#include "domain/core/ctx.h"
#include <stdio.h>

/* The plan as a source of the demo's timeline (demo/timeline.h). Its first event, on
 * 21/03/2017, seeds the standard unit groups, reads data_dir/demo/kh-69-ubnd-2017.txt,
 * proposes its tasks (kc_extract_propose) and creates the directive with every task whose lead
 * is a unit or a non-empty group (kc_directive_create_with_tasks); the next are the tasks'
 * lives up to real_now (kc_demo_tasks_source). Items without a date or a day are due by the
 * end of 2017, the "year of administrative discipline" the plan serves. Nothing is written
 * until kc_demo_run runs the source. */
kc_err kc_demo_plan69_source(kc_ctx *ctx, const char *data_dir, int64_t real_now,
                             kc_demo_source *src) KC_WUR;

#endif
