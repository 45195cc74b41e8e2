-- 0004: notices: reminders before a task's deadline, overdue notices after it, escalations to
-- the heads above (prodding, đôn đốc). One row per recipient account and channel. `key`
-- names the event (task, kind, deadline, stage); its uniqueness is what makes a scheduler
-- pass idempotent: a restart or a second pass never sends the same notice twice.

CREATE TABLE notices (
  id @PK@,
  key @CTEXT@ NOT NULL UNIQUE,
  task_id BIGINT REFERENCES tasks(id),
  kind TEXT NOT NULL CHECK (kind IN ('reminder','overdue','escalation')),
  account_id BIGINT REFERENCES accounts(id),
  channel TEXT NOT NULL CHECK (channel IN ('inbox','email','sms')),
  address TEXT,                  -- e-mail address or phone number for those channels
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,                -- delivered (inbox rows: when created)
  read_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX notices_account ON notices(account_id, created_at);
CREATE INDEX notices_task ON notices(task_id, created_at);
CREATE INDEX notices_pending ON notices(sent_at, channel);
