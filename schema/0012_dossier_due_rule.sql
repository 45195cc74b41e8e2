-- Which legal-clock rule, in which version, gave a dossier's due date (data/clocks/onestop.json;
-- docs/internals/lclock.md): written at receipt and whenever the date is computed again
-- (papers arriving, a calendar change). Dossiers received before this migration have none:
-- their dates were counted by the rules then in force, which the record did not keep.
ALTER TABLE dossiers ADD COLUMN due_rule_code TEXT;
ALTER TABLE dossiers ADD COLUMN due_rule_version INTEGER;
