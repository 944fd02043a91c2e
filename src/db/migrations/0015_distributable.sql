-- Distributable by organization (Citus, docs/operations.md): no unique key may leave org_id out, and
-- the lookups that had none in their WHERE (sign-in by email, session and token by hash) get one.
--
-- Sign-in: a small global table maps an email to the organizations it has a user in. It has no
-- org_id column on purpose: tables with one are distributed by it, this one is a reference table
-- (copied to every node). Kept in step with users in the same transaction (users/commands.ts).
CREATE TABLE "login_emails" (
	"email" text NOT NULL,
	"organization_id" uuid NOT NULL,
	CONSTRAINT "login_emails_pk" PRIMARY KEY("email","organization_id")
);
--> statement-breakpoint
INSERT INTO "login_emails" ("email", "organization_id") SELECT DISTINCT lower("email"), "org_id" FROM "users" ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Sessions and API tokens: the secret now names its organization (`<org key>.<random>`), so the
-- lookup is by (org_id, token_hash). Secrets of the old format name none: sessions end (everyone signs
-- in again) and old API tokens are revoked — they are refused from this migration on.
DROP INDEX IF EXISTS "sessions_token_key";
--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_key" ON "sessions" USING btree ("org_id","token_hash");
--> statement-breakpoint
DROP INDEX IF EXISTS "api_tokens_hash_key";
--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("org_id","token_hash");
--> statement-breakpoint
DELETE FROM "sessions";
--> statement-breakpoint
UPDATE "api_tokens" SET "revoked_at" = now() WHERE "revoked_at" IS NULL;
--> statement-breakpoint
-- Sign-in finds organizations through login_emails, then the user by (org_id, lower(email)) —
-- users_org_email_key; the cross-organization index on lower(email) has no reader left.
DROP INDEX IF EXISTS "users_email_key";
--> statement-breakpoint
DROP INDEX IF EXISTS "users_email";
