-- 0005: revocable tokens behind the iCalendar (RFC 5545) feeds of deadlines that Outlook or a
-- phone calendar subscribes to. Only the SHA-256 of a token is stored.
CREATE TABLE ical_tokens (
  id @PK@,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  scope TEXT NOT NULL CHECK (scope IN ('user','unit')),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX ical_tokens_account ON ical_tokens(account_id);
