-- 0006: indexes for the task lists and statistics, measured on 200,000 tasks over 600 units
-- (bench/tasks.sh).
CREATE INDEX tasks_directive_due ON tasks(directive_id, due_date);
CREATE INDEX tasks_open_due ON tasks(due_date) WHERE completed_on IS NULL AND cancelled_at IS NULL;
-- (lead unit, due date) first: a unit's tasks in deadline order, and the statistics grouped
-- by unit without sorting, reading the index alone
CREATE INDEX tasks_stats ON tasks(lead_unit_id, due_date, completed_on, cancelled_at, is_group, lead_unit_path);
DROP INDEX tasks_directive;
-- a unit's open tasks, and its done ones, without reading the table
CREATE INDEX tasks_lead_state ON tasks(lead_unit_id, completed_on, cancelled_at, due_date);
