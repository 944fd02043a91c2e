-- Voice of the customer, continued (issue #18): feedback names the products it is about, survey free text becomes
-- feedback once, word-of-mouth points (口碑点, at most three per product or product line) with the feedback tagged
-- by them, a first-response alert per complaint, and a per-organization marker that lets reads skip the SLA sweep.
CREATE TABLE "feedback_products" (
	"org_id" uuid NOT NULL,
	"feedback_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	CONSTRAINT "feedback_products_pk" PRIMARY KEY("org_id","feedback_id","product_id"),
	CONSTRAINT "feedback_products_feedback_fk" FOREIGN KEY ("org_id","feedback_id") REFERENCES "public"."feedback"("org_id","id"),
	CONSTRAINT "feedback_products_product_fk" FOREIGN KEY ("org_id","product_id") REFERENCES "public"."products"("org_id","id")
);--> statement-breakpoint
CREATE INDEX "feedback_products_org_product" ON "feedback_products" USING btree ("org_id","product_id","feedback_id");--> statement-breakpoint
-- A survey answer's free text is feedback once: the answer it came from, unique per organization.
ALTER TABLE "feedback" ADD COLUMN "survey_answer_id" uuid;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_survey_answer_fk" FOREIGN KEY ("org_id","survey_answer_id") REFERENCES "public"."survey_answers"("org_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_org_survey_answer" ON "feedback" USING btree ("org_id","survey_answer_id") WHERE "feedback"."survey_answer_id" is not null;--> statement-breakpoint
-- The first-response alert is raised once per complaint.
ALTER TABLE "feedback" ADD COLUMN "response_alerted_at" timestamp with time zone;--> statement-breakpoint
-- Reads run the catch-up only when it can find something: writers that leave work behind bump `gen`, a sweep
-- records the generation it saw and the earliest instant a deadline of an open complaint can fire next.
CREATE TABLE "feedback_sweeps" (
	"org_id" uuid NOT NULL,
	"gen" integer DEFAULT 1 NOT NULL,
	"swept_gen" integer DEFAULT 0 NOT NULL,
	"next_due_at" timestamp with time zone,
	"swept_at" timestamp with time zone,
	CONSTRAINT "feedback_sweeps_pk" PRIMARY KEY("org_id")
);--> statement-breakpoint
-- What lets the sweep find the next deadline without reading every open complaint.
CREATE INDEX "feedback_org_open_due" ON "feedback" USING btree ("org_id","due_at") WHERE "feedback"."status" in ('received', 'acknowledged', 'assessed', 'investigating', 'responded') and "feedback"."deleted_at" is null;--> statement-breakpoint
CREATE TABLE "wom_points" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"product_id" uuid,
	"product_line" text,
	"slot" smallint NOT NULL,
	"name" text NOT NULL,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "wom_points_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "wom_points_product_fk" FOREIGN KEY ("org_id","product_id") REFERENCES "public"."products"("org_id","id"),
	-- Focus: three slots per product (or product line), so a fourth point cannot exist even under concurrent writes.
	CONSTRAINT "wom_points_slot_check" CHECK ("slot" BETWEEN 1 AND 3),
	CONSTRAINT "wom_points_scope_check" CHECK (("product_id" IS NULL) <> ("product_line" IS NULL))
);--> statement-breakpoint
CREATE UNIQUE INDEX "wom_points_product_slot" ON "wom_points" USING btree ("org_id","product_id","slot") WHERE "wom_points"."product_id" is not null and "wom_points"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "wom_points_line_slot" ON "wom_points" USING btree ("org_id","product_line","slot") WHERE "wom_points"."product_line" is not null and "wom_points"."deleted_at" is null;--> statement-breakpoint
CREATE TABLE "feedback_wom" (
	"org_id" uuid NOT NULL,
	"feedback_id" uuid NOT NULL,
	"point_id" uuid NOT NULL,
	"stance" text NOT NULL,
	"status" text DEFAULT 'suggested' NOT NULL,
	"by" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_wom_pk" PRIMARY KEY("org_id","feedback_id","point_id"),
	CONSTRAINT "feedback_wom_feedback_fk" FOREIGN KEY ("org_id","feedback_id") REFERENCES "public"."feedback"("org_id","id"),
	CONSTRAINT "feedback_wom_point_fk" FOREIGN KEY ("org_id","point_id") REFERENCES "public"."wom_points"("org_id","id"),
	CONSTRAINT "feedback_wom_stance_check" CHECK ("stance" IN ('praise', 'criticism', 'neutral')),
	CONSTRAINT "feedback_wom_status_check" CHECK ("status" IN ('suggested', 'confirmed', 'rejected'))
);--> statement-breakpoint
CREATE INDEX "feedback_wom_org_point" ON "feedback_wom" USING btree ("org_id","point_id","status");
