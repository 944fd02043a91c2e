-- What a running import is doing: reading the file (processed_rows counts up) or merging (duplicates, references, writes).
ALTER TABLE "import_jobs" ADD COLUMN IF NOT EXISTS "phase" text;
