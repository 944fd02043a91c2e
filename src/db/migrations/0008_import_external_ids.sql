-- The source system's id of each imported record (Salesforce, HubSpot, Pipedrive, a previous Accord
-- export…): a second import of the same file finds its records by it, and references between files
-- (a deal's account, a contact's account) resolve by it. One record may carry ids from several sources.
CREATE TABLE "external_ids" (
	"org_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"record_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_ids_pk" PRIMARY KEY("org_id","entity","source","external_id")
);
--> statement-breakpoint
CREATE INDEX "external_ids_record" ON "external_ids" USING btree ("org_id","entity","record_id");
--> statement-breakpoint
-- An email names one user per organization (the same person may work for two organizations, and an
-- organization's export re-imported into another one brings its owners along).
DROP INDEX IF EXISTS "users_email_key";
--> statement-breakpoint
CREATE UNIQUE INDEX "users_org_email_key" ON "users" USING btree ("org_id",lower("email"));
--> statement-breakpoint
CREATE INDEX "users_email" ON "users" USING btree (lower("email"));
--> statement-breakpoint
-- The account hierarchy. The history work adds the same column (migration 0007); both are guarded so
-- either may run first.
ALTER TABLE "accounts" ADD COLUMN IF NOT EXISTS "parent_account_id" uuid;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'accounts'::regclass AND conname IN ('accounts_parent_fk', 'accounts_parent_account_fk')) THEN
    ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_fk" FOREIGN KEY ("org_id","parent_account_id") REFERENCES "public"."accounts"("org_id","id") ON DELETE no action ON UPDATE no action;
  END IF;
END $$;
