-- 0011: the case engine (design.md §4c): whatever is received, handled and answered within a
-- legal limit (feedback, complaints, denunciations, inspection remedies, discipline cases,
-- document reviews) is a case of a kind declared as data (data/case-kinds/*.json). A case
-- has a state of its kind, an assignment (unit, official), declared fields, links, a history
-- of every action, and its clocks, each pinned to the legal-clock rule version that gave its
-- dates (src/domain/core/lclock.h). docs/internals/cases.md describes the engine.

CREATE TABLE cases (
  id @PK@,
  kind TEXT NOT NULL,                    -- the kind's code ("feedback")
  state TEXT NOT NULL,                   -- one of the kind's states
  title TEXT NOT NULL,
  title_fold @CTEXT@ NOT NULL,           -- accent-insensitive search form
  fields TEXT NOT NULL DEFAULT '{}',     -- JSON object of the kind's declared fields
  unit_id BIGINT NOT NULL REFERENCES units(id),  -- the unit handling the case
  unit_path @CTEXT@ NOT NULL,            -- its path, for scope (a unit sees its subtree's cases)
  owner_unit_id BIGINT NOT NULL REFERENCES units(id), -- the unit that received or assigned it
  owner_unit_path @CTEXT@ NOT NULL,
  official_id BIGINT REFERENCES officials(id),   -- the assigned official, if any
  created_by BIGINT REFERENCES accounts(id),
  received_at BIGINT NOT NULL,
  closed_at BIGINT,                      -- when it reached a final state
  -- The running clocks summed up, for lists and the scheduler: the earliest due date, the
  -- earliest instant from which a clock is overdue and from which one is due soon (NULL when
  -- no clock runs).
  due_date TEXT,
  overdue_at BIGINT,
  soon_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX cases_kind_state ON cases(kind, state);
CREATE INDEX cases_unit ON cases(unit_path, received_at);
CREATE INDEX cases_owner ON cases(owner_unit_path);
CREATE INDEX cases_overdue ON cases(overdue_at);

-- The history: one row per action (creation included), who, when, the note and an optional
-- document (number and date of a decision, a reply letter) or attachment.
CREATE TABLE case_events (
  id @PK@,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,                       -- NULL for the creation
  to_state TEXT NOT NULL,
  account_id BIGINT REFERENCES accounts(id),
  note TEXT NOT NULL DEFAULT '',
  document TEXT,
  attachment_id BIGINT REFERENCES attachments(id),
  data TEXT                              -- JSON: what the action changed (assignment, clocks)
);
CREATE INDEX case_events_case ON case_events(case_id, at);

-- Links from a case to other records: a dossier, a task, an official, a document, a unit,
-- another case.
CREATE TABLE case_links (
  id @PK@,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  target_kind TEXT NOT NULL CHECK (target_kind IN
    ('dossier','task','official','document','unit','case')),
  target_id BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  account_id BIGINT REFERENCES accounts(id),
  created_at BIGINT NOT NULL,
  UNIQUE (case_id, target_kind, target_id)
);
CREATE INDEX case_links_target ON case_links(target_kind, target_id);

-- A case's clocks, one per clock its kind declares, once started. state: running → paused →
-- running … → ended. The dates are recomputed from the start, the pauses and the extensions
-- under the pinned rule version whenever one of them or the working calendar changes.
CREATE TABLE case_clocks (
  id @PK@,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  clock TEXT NOT NULL,                   -- the kind's clock code
  rule_code TEXT NOT NULL,
  rule_version INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running','paused','ended')),
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  due_date TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  overdue_at BIGINT NOT NULL,            -- the first instant at which it is overdue
  soon_at BIGINT NOT NULL,               -- the first instant at which it is due soon
  paused_units INTEGER NOT NULL DEFAULT 0,
  extended_units INTEGER NOT NULL DEFAULT 0,
  result TEXT CHECK (result IN ('early','on_time','late')),
  UNIQUE (case_id, clock)
);
CREATE INDEX case_clocks_open ON case_clocks(state, overdue_at);

CREATE TABLE case_clock_pauses (
  id @PK@,
  clock_id BIGINT NOT NULL REFERENCES case_clocks(id),
  from_at BIGINT NOT NULL,
  to_at BIGINT                           -- NULL while the pause lasts
);
CREATE INDEX case_clock_pauses_clock ON case_clock_pauses(clock_id, from_at);

CREATE TABLE case_clock_extensions (
  id @PK@,
  clock_id BIGINT NOT NULL REFERENCES case_clocks(id),
  units INTEGER NOT NULL CHECK (units > 0),  -- in the rule's own unit
  at BIGINT NOT NULL,
  event_id BIGINT REFERENCES case_events(id)
);
CREATE INDEX case_clock_extensions_clock ON case_clock_extensions(clock_id);

-- Reminders and escalations about a case (kc_case_plan_notices) are notices too.
ALTER TABLE notices ADD COLUMN case_id BIGINT REFERENCES cases(id);
CREATE INDEX notices_case ON notices(case_id, created_at);
