-- 0009: indexes for the one-stop statistics' snapshot of what was in process at the end of a
-- day (docs/performance.md, "One-stop shop"): the open dossiers of a subtree, and the dossiers
-- resolved, or closed without a result, after a day, with the day they were received so the
-- index alone sorts them out.
CREATE INDEX dossiers_open_unit ON dossiers(unit_path, received_day) WHERE open = 1;
CREATE INDEX dossiers_resolved ON dossiers(resolved_day, closed_at, received_day);
-- The planners need to know how few dossiers are open to prefer these indexes; on an existing
-- database of a million dossiers this takes about a second, once.
ANALYZE dossiers;
