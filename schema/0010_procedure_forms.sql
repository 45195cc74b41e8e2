-- 0010: the form files (mẫu đơn, tờ khai) of a procedure's dossier components, as
-- {"<component name>": {"sha256","filename","content_type","size"}}. The bytes live in the
-- content-addressed file store (files_dir), like attachments; the public catalog serves them.
ALTER TABLE procedures ADD COLUMN forms TEXT NOT NULL DEFAULT '{}';
