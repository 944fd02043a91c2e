-- The counts an import reports beside inserted / updated / duplicates / errors (issue #16): the job
-- row carries them, so whoever follows a job (the wizard's summary, GET /imports/:id) reads them too.
ALTER TABLE "import_jobs" ADD COLUMN "accounts_created" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "users_created" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "placeholder_account_rows" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "products_created" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "amounts_kept" integer DEFAULT 0 NOT NULL;
