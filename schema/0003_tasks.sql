-- 0003: directives, unit groups, tasks and their history, notices (issue: tasks and prodding).
-- A task's timeliness (in progress, overdue, done on time, done late, cancelled) is never
-- stored: it is derived from due_date, completed_on, cancelled_at and today's date.

CREATE TABLE directives (
  id @PK@,
  number TEXT NOT NULL,              -- "69/KH-UBND"
  kind TEXT NOT NULL CHECK (kind IN ('directive','plan','decision','official_letter','conclusion_notice')),
  issued_on TEXT NOT NULL,           -- YYYY-MM-DD
  issuer_unit_id BIGINT NOT NULL REFERENCES units(id),
  signer TEXT,
  title TEXT NOT NULL,
  title_fold @CTEXT@ NOT NULL,
  text TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES accounts(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX directives_issued ON directives(issued_on);
CREATE UNIQUE INDEX directives_number ON directives(number, issued_on);

-- Named, editable groups of units ("các sở, ban, ngành", "UBND các quận, huyện, thị xã").
CREATE TABLE unit_groups (
  id @PK@,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE unit_group_members (
  group_id BIGINT NOT NULL REFERENCES unit_groups(id) ON DELETE CASCADE,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  PRIMARY KEY (group_id, unit_id)
);

-- A task is assigned by owner_unit_id to lead_unit_id. A recurring task (recurrence set,
-- no due_date) is a template whose dated instances are its children; a task assigned to a
-- group is a parent (is_group = 1) with one child per unit of the group.
CREATE TABLE tasks (
  id @PK@,
  directive_id BIGINT REFERENCES directives(id),
  parent_id BIGINT REFERENCES tasks(id),
  owner_unit_id BIGINT NOT NULL REFERENCES units(id),
  owner_unit_path @CTEXT@ NOT NULL,
  lead_unit_id BIGINT NOT NULL REFERENCES units(id),
  lead_unit_path @CTEXT@ NOT NULL,
  assignee_official_id BIGINT REFERENCES officials(id),
  title TEXT NOT NULL,
  title_fold @CTEXT@ NOT NULL,
  content TEXT,
  due_date @CTEXT@,
  original_due_date TEXT,
  recurrence TEXT,
  period TEXT,                        -- the instance's period ("2017-04", "2017-Q2", "2017")
  is_group INTEGER NOT NULL DEFAULT 0,
  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  completed_on TEXT,
  completion_evidence TEXT,
  cancelled_at BIGINT,
  cancel_reason TEXT,
  section TEXT,                       -- where in the directive ("II.1.c")
  version INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES accounts(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_directive ON tasks(directive_id);
CREATE INDEX tasks_parent ON tasks(parent_id);
CREATE INDEX tasks_lead_due ON tasks(lead_unit_path, due_date);
CREATE INDEX tasks_due ON tasks(due_date);
CREATE INDEX tasks_owner ON tasks(owner_unit_path);
CREATE UNIQUE INDEX tasks_instance ON tasks(parent_id, period);

CREATE TABLE task_support_units (
  task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_support_unit ON task_support_units(unit_id);

CREATE TABLE task_progress (
  id @PK@,
  task_id BIGINT NOT NULL REFERENCES tasks(id),
  at BIGINT NOT NULL,
  percent INTEGER NOT NULL,
  note TEXT NOT NULL,
  account_id BIGINT REFERENCES accounts(id)
);
CREATE INDEX task_progress_task ON task_progress(task_id, at);

CREATE TABLE task_extensions (
  id @PK@,
  task_id BIGINT NOT NULL REFERENCES tasks(id),
  requested_at BIGINT NOT NULL,
  requested_by BIGINT REFERENCES accounts(id),
  reason TEXT NOT NULL,
  old_due_date TEXT NOT NULL,
  new_due_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','approved','refused')),
  decided_at BIGINT,
  decided_by BIGINT REFERENCES accounts(id),
  decision_note TEXT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX task_extensions_task ON task_extensions(task_id);

-- Every deadline a task has had, with why it changed.
CREATE TABLE task_due_history (
  id @PK@,
  task_id BIGINT NOT NULL REFERENCES tasks(id),
  at BIGINT NOT NULL,
  old_due_date TEXT,
  new_due_date TEXT,
  reason TEXT NOT NULL,
  account_id BIGINT REFERENCES accounts(id)
);
CREATE INDEX task_due_history_task ON task_due_history(task_id);
