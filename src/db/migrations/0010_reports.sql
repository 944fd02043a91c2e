CREATE TABLE "reports" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"owner_id" uuid NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "reports_owner_fk" FOREIGN KEY ("org_id","owner_id") REFERENCES "public"."users"("org_id","id")
);--> statement-breakpoint
CREATE INDEX "reports_org_owner" ON "reports" USING btree ("org_id","owner_id");
--> statement-breakpoint
CREATE INDEX "opportunities_report_owner_close" ON "opportunities" USING btree ("org_id","owner_id","closed_at") INCLUDE ("status","currency","amount") WHERE "opportunities"."deleted_at" is null;
