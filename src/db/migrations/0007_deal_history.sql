-- When a deal was opened (created or engaged in the source system): imported deals keep their own dates.
ALTER TABLE "opportunities" ADD COLUMN "opened_at" timestamp with time zone;--> statement-breakpoint
-- Existing deals: the earliest of their creation, their first stage entry and their close (imports wrote close dates before creation).
UPDATE "opportunities" o SET "opened_at" = least(o."created_at", o."closed_at",
  (SELECT min(h."changed_at") FROM "opportunity_stage_history" h WHERE h."org_id" = o."org_id" AND h."opportunity_id" = o."id"));--> statement-breakpoint
ALTER TABLE "opportunities" ALTER COLUMN "opened_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "opportunities" ALTER COLUMN "opened_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "opportunities_org_opened" ON "opportunities" USING btree ("org_id","opened_at");--> statement-breakpoint
CREATE INDEX "opportunities_org_closed" ON "opportunities" USING btree ("org_id","closed_at");--> statement-breakpoint
-- Account hierarchy (a group and its subsidiaries); cycles are refused by the API.
ALTER TABLE "accounts" ADD COLUMN "parent_account_id" uuid;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_fk" FOREIGN KEY ("org_id","parent_account_id") REFERENCES "public"."accounts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_not_self" CHECK ("parent_account_id" IS NULL OR "parent_account_id" <> "id");--> statement-breakpoint
CREATE INDEX "accounts_org_parent" ON "accounts" USING btree ("org_id","parent_account_id") WHERE "parent_account_id" IS NOT NULL;
