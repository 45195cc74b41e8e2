-- 0008: the one-stop shop (một cửa): the rules in force (dated data, design.md §4b), the
-- procedure catalog, dossiers with their steps across units, supplement requests, apologies,
-- a timeline of events, and per-day counters that keep statistics over millions of dossiers
-- fast. Every dossier is pinned to the rule version in force when it was received, and keeps
-- its own copy of the procedure's time limit, so later edits of either change nothing for it.

CREATE TABLE onestop_rules (
  id @PK@,
  code TEXT NOT NULL UNIQUE,            -- "QD09-2015", "ND61-2018", "ND118-2025"
  name TEXT NOT NULL,                   -- "Nghị định 61/2018/NĐ-CP"
  effective_from TEXT NOT NULL UNIQUE,  -- YYYY-MM-DD; in force until the next version's date
  basis TEXT NOT NULL,                  -- the citation printed on slips
  apology_lead_days INTEGER NOT NULL CHECK (apology_lead_days >= 0),
  max_reschedules INTEGER NOT NULL CHECK (max_reschedules >= 0), -- 0: no limit stated
  supplement_clock TEXT NOT NULL CHECK (supplement_clock IN ('restart','resume')),
  forms TEXT NOT NULL,                  -- JSON: {"receipt":{"number","title"}, …}
  notes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE procedures (
  id @PK@,
  code TEXT NOT NULL UNIQUE,            -- the national catalog code ("1.001612")
  name TEXT NOT NULL,
  name_fold @CTEXT@ NOT NULL,
  field TEXT NOT NULL DEFAULT '',       -- lĩnh vực
  field_fold @CTEXT@ NOT NULL DEFAULT '',
  level TEXT NOT NULL CHECK (level IN ('city','district','commune')),
  unit_id BIGINT NOT NULL REFERENCES units(id), -- implementing unit (for district and commune
                                        -- procedures: the unit that keeps the catalog entry;
                                        -- every district or commune may receive them)
  limit_amount INTEGER NOT NULL CHECK (limit_amount >= 0),
  limit_kind TEXT NOT NULL CHECK (limit_kind IN ('working','calendar','hours')),
  cutoff_minute INTEGER CHECK (cutoff_minute BETWEEN 0 AND 1439),
  fee TEXT NOT NULL DEFAULT '',
  components TEXT NOT NULL DEFAULT '[]', -- JSON [{name, originals, copies, form}]
  steps TEXT NOT NULL DEFAULT '[]',      -- JSON [{name, unit_id, half_days}]
  requirements TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  legal_basis TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  published INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX procedures_unit ON procedures(unit_id);
CREATE INDEX procedures_published ON procedures(published, name_fold);

-- Dossier codes: unit code, receipt day, sequence of that unit's day ("HN-D01-170301-0007").
CREATE TABLE dossier_seq (
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (unit_id, day)
);

-- status: received → in_process → result_ready → returned; supplement_requested (the clock
-- stops) and back; refused or withdrawn end it. `open` is 1 while the result is not ready.
-- result (early / on_time / late) is set when the result is ready, against original_due_date:
-- an apology moves the appointment but does not make a late result timely.
CREATE TABLE dossiers (
  id @PK@,
  code @CTEXT@ NOT NULL UNIQUE,
  procedure_id BIGINT NOT NULL REFERENCES procedures(id),
  rule_id BIGINT NOT NULL REFERENCES onestop_rules(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),         -- received by and answers for it
  unit_path @CTEXT@ NOT NULL,
  holder_unit_id BIGINT NOT NULL REFERENCES units(id),  -- holds it now (the open step's unit)
  holder_path @CTEXT@ NOT NULL,
  assignee_official_id BIGINT REFERENCES officials(id),
  channel TEXT NOT NULL CHECK (channel IN ('in_person','post','online')),
  applicant_name TEXT NOT NULL,
  applicant_fold @CTEXT@ NOT NULL,
  applicant_id_number TEXT,
  applicant_phone TEXT,
  applicant_email TEXT,
  applicant_address TEXT,
  components TEXT NOT NULL DEFAULT '[]',                -- the checklist as received
  limit_amount INTEGER NOT NULL,
  limit_kind TEXT NOT NULL,
  cutoff_minute INTEGER,
  received_at BIGINT NOT NULL,
  received_day TEXT NOT NULL,
  received_by BIGINT REFERENCES accounts(id),
  clock_from BIGINT NOT NULL,      -- the instant the limit runs from (receipt, or the papers' arrival)
  days_left INTEGER,               -- "resume" rule: working days left when the clock stopped
  original_due_date TEXT NOT NULL,
  due_date @CTEXT@ NOT NULL,
  due_at BIGINT NOT NULL,
  apology_from @CTEXT@,            -- the day from which an apology is owed; NULL when none can be
  status TEXT NOT NULL CHECK (status IN ('received','in_process','supplement_requested',
                                         'result_ready','returned','refused','withdrawn')),
  open INTEGER NOT NULL,
  reschedules INTEGER NOT NULL DEFAULT 0,
  apologies INTEGER NOT NULL DEFAULT 0,
  result TEXT CHECK (result IN ('early','on_time','late')),
  resolved_at BIGINT,
  resolved_day TEXT,
  work_days INTEGER,               -- working days from the clock's start to the result
  returned_at BIGINT,
  closed_at BIGINT,
  close_reason TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX dossiers_unit_received ON dossiers(unit_path, received_day);
CREATE INDEX dossiers_holder ON dossiers(holder_path, open, due_date);
CREATE INDEX dossiers_open_due ON dossiers(open, due_date);
CREATE INDEX dossiers_apology ON dossiers(open, apology_from);
CREATE INDEX dossiers_procedure ON dossiers(procedure_id, received_day);
CREATE INDEX dossiers_applicant ON dossiers(applicant_fold);
CREATE INDEX dossiers_assignee ON dossiers(assignee_official_id, open);

-- One row per unit holding the dossier: the hand-off that opened it (given_by → received_by),
-- the time it was allowed and how it ended (the processing-control slip's rows).
CREATE TABLE dossier_steps (
  id @PK@,
  dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  official_id BIGINT REFERENCES officials(id),
  given_by BIGINT REFERENCES accounts(id),
  received_by BIGINT REFERENCES accounts(id),
  started_at BIGINT NOT NULL,
  due_at BIGINT,
  ended_at BIGINT,
  result TEXT CHECK (result IN ('early','on_time','late')),
  note TEXT,
  UNIQUE (dossier_id, seq)
);

CREATE TABLE dossier_supplements (
  id @PK@,
  dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
  seq INTEGER NOT NULL,
  requested_at BIGINT NOT NULL,
  requested_by BIGINT REFERENCES accounts(id),
  reason TEXT NOT NULL,
  items TEXT NOT NULL DEFAULT '[]',     -- JSON array of strings
  received_at BIGINT,
  received_by BIGINT REFERENCES accounts(id),
  UNIQUE (dossier_id, seq)
);

CREATE TABLE dossier_apologies (
  id @PK@,
  dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
  seq INTEGER NOT NULL,
  issued_at BIGINT NOT NULL,
  issued_by BIGINT REFERENCES accounts(id),
  reason TEXT NOT NULL,
  old_due_date TEXT NOT NULL,
  new_due_date TEXT,
  UNIQUE (dossier_id, seq)
);
CREATE INDEX dossier_apologies_issued ON dossier_apologies(issued_at);

-- The timeline shown on the dossier page and, without names, on the public status page.
CREATE TABLE dossier_events (
  id @PK@,
  dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  account_id BIGINT REFERENCES accounts(id),
  unit_id BIGINT REFERENCES units(id),
  note TEXT
);
CREATE INDEX dossier_events_dossier ON dossier_events(dossier_id, id);

-- Counters of what happened each day, per unit and per procedure, kept in the same
-- transaction as the change: received, results early / on time / late (on the day the result
-- was ready) with the working days they took, returned, refused, withdrawn, apologies.
CREATE TABLE dossier_unit_days (
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day @CTEXT@ NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  early INTEGER NOT NULL DEFAULT 0,
  on_time INTEGER NOT NULL DEFAULT 0,
  late INTEGER NOT NULL DEFAULT 0,
  work_days INTEGER NOT NULL DEFAULT 0,
  returned INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  apologies INTEGER NOT NULL DEFAULT 0,
  late_unapologised INTEGER NOT NULL DEFAULT 0, -- late results with no apology issued
  PRIMARY KEY (unit_id, day)
);
CREATE INDEX dossier_unit_days_day ON dossier_unit_days(day);
CREATE TABLE dossier_procedure_days (
  procedure_id BIGINT NOT NULL REFERENCES procedures(id),
  day @CTEXT@ NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  early INTEGER NOT NULL DEFAULT 0,
  on_time INTEGER NOT NULL DEFAULT 0,
  late INTEGER NOT NULL DEFAULT 0,
  work_days INTEGER NOT NULL DEFAULT 0,
  returned INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  apologies INTEGER NOT NULL DEFAULT 0,
  late_unapologised INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (procedure_id, day)
);

-- Notices now also concern dossiers (an apology owed, to the handling unit).
CREATE TABLE notices_new (
  id @PK@,
  key @CTEXT@ NOT NULL UNIQUE,
  task_id BIGINT REFERENCES tasks(id),
  dossier_id BIGINT REFERENCES dossiers(id),
  kind TEXT NOT NULL CHECK (kind IN ('reminder','overdue','escalation','apology_owed')),
  account_id BIGINT REFERENCES accounts(id),
  channel TEXT NOT NULL CHECK (channel IN ('inbox','email','sms')),
  address TEXT,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  read_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
-- Copied in id order without the ids, so PostgreSQL's identity counter stays right; nothing
-- refers to a notice's id from another table.
INSERT INTO notices_new (key, task_id, kind, account_id, channel, address, subject, body,
                         created_at, sent_at, read_at, attempts, last_error)
  SELECT key, task_id, kind, account_id, channel, address, subject, body, created_at,
         sent_at, read_at, attempts, last_error FROM notices ORDER BY id;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_account ON notices(account_id, created_at);
CREATE INDEX notices_task ON notices(task_id, created_at);
CREATE INDEX notices_dossier ON notices(dossier_id, created_at);
CREATE INDEX notices_pending ON notices(sent_at, channel);
