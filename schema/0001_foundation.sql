-- 0001: units, officials, accounts, sessions, API tokens, login attempts, audit log.
-- Written in the SQL subset SQLite 3.40 and PostgreSQL 15 share, with two dialect macros:
-- @PK@ (an integer primary key with automatic values) and @CTEXT@ (text compared byte by
-- byte, which range scans over paths, sort keys and search terms rely on). Dates are 'YYYY-MM-DD' text,
-- instants integer Unix seconds (design.md §4). *_fold columns hold the accent- and
-- case-folded search form, *_sort the Vietnamese collation key (memcmp order).

CREATE TABLE units (
  id @PK@,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_fold @CTEXT@ NOT NULL,
  name_sort @CTEXT@ NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('city','department','district','commune','public_service','division')),
  parent_id BIGINT REFERENCES units(id),
  -- materialised path of ids, '/1/24/': a subtree is the range [path, path with its last
  -- '/' replaced by '0'), which both engines answer from an index.
  path @CTEXT@ NOT NULL,
  depth INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE officials (
  id @PK@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  unit_path @CTEXT@ NOT NULL, -- copy of units.path, kept in step on moves, for scoped lists
  full_name TEXT NOT NULL,
  name_fold @CTEXT@ NOT NULL,
  name_sort @CTEXT@ NOT NULL,
  position TEXT,
  position_since TEXT,
  email TEXT,
  phone TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX officials_unit ON officials(unit_id);
CREATE INDEX officials_sort ON officials(name_sort, id);
CREATE INDEX officials_path_sort ON officials(unit_path, name_sort);

-- Folded word-suffixes of each official's name and position ("nguyen van an", "van an",
-- "an"): a search is a prefix range over them (src/domain/official.c).
CREATE TABLE official_terms (
  term @CTEXT@ NOT NULL,
  official_id BIGINT NOT NULL REFERENCES officials(id) ON DELETE CASCADE,
  PRIMARY KEY (term, official_id)
);
CREATE INDEX official_terms_official ON official_terms(official_id);

CREATE TABLE accounts (
  id @PK@,
  username TEXT NOT NULL UNIQUE,
  pw_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('public','officer','desk','unit_head','supervisor','leader','admin')),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  official_id BIGINT REFERENCES officials(id),
  disabled INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Sessions and API tokens store only the SHA-256 of their secret.
CREATE TABLE sessions (
  id @PK@,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE api_tokens (
  id @PK@,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

CREATE TABLE login_attempts (
  id @PK@,
  username TEXT NOT NULL,
  addr TEXT NOT NULL,
  at BIGINT NOT NULL,
  ok INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_addr ON login_attempts(addr, at);

-- The audit log is a hash chain: hash = SHA-256(prev_hash | id | at | actor_id | action |
-- entity | entity_id | before_json | after_json). audit_head holds the newest link; updating
-- it in every writing transaction also serialises writers of the chain on PostgreSQL.
CREATE TABLE audit_log (
  id @PK@,
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
