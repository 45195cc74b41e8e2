-- 0007: files attached to directives and tasks (the directive's text as issued, a progress
-- report, the completion report). The bytes live under files_dir, named by their SHA-256 (a
-- shared path when several servers run); the row says whose they are.
CREATE TABLE attachments (
  id @PK@,
  owner TEXT NOT NULL CHECK (owner IN ('directive','task')),
  owner_id BIGINT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  account_id BIGINT REFERENCES accounts(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner, owner_id);
