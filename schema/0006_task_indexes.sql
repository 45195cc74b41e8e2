-- 0006: indexes for the task lists and statistics, measured on 200,000 tasks over 600 units
-- (bench/tasks.sh): a unit's tasks in deadline order, open tasks by deadline, and a covering
-- index that lets the per-unit statistics of a period read the index alone.
CREATE INDEX tasks_lead_unit_due ON tasks(lead_unit_id, due_date);
CREATE INDEX tasks_directive_due ON tasks(directive_id, due_date);
CREATE INDEX tasks_open_due ON tasks(due_date) WHERE completed_on IS NULL AND cancelled_at IS NULL;
CREATE INDEX tasks_stats ON tasks(due_date, lead_unit_id, completed_on, cancelled_at, is_group, lead_unit_path);
DROP INDEX tasks_directive;
