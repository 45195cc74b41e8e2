-- 0002: the official calendar (days off and swapped working Saturdays announced each year),
-- editable by an admin. Seeded from data/calendar/*.tsv by `kycuong init`. The server builds
-- its working-day tables from these rows and rebuilds them when calendar_meta.revision moves.

CREATE TABLE calendar_sources (
  id @PK@,
  code TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- A declared year takes the days the law leaves to the Prime Minister (which five days of
-- Tết, which day beside 2/9) from its entries instead of the defaults.
CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY,
  source_code TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE calendar_entries (
  id @PK@,
  day @CTEXT@ NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('off','workday')),
  name TEXT NOT NULL,
  source_code TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE calendar_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision BIGINT NOT NULL
);
INSERT INTO calendar_meta (id, revision) VALUES (1, 0);
