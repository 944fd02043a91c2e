-- Issue #16: what a customer buys in total per product line (its demand for *this* line), so share of
-- wallet can be read per line. Absent row = unknown demand for that line (never guessed). Keyed by
-- org_id first with a composite FK to the account, like every table, so it distributes on Citus.
CREATE TABLE "account_line_demand" (
	"org_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"product_line" text NOT NULL,
	"annual_demand" numeric(18, 2) NOT NULL,
	"currency" char(3) NOT NULL,
	"estimated" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "account_line_demand_pk" PRIMARY KEY("org_id","account_id","product_line"),
	CONSTRAINT "account_line_demand_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id"),
	CONSTRAINT "account_line_demand_positive" CHECK ("annual_demand" >= 0)
);
