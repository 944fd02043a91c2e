-- Issue #16: products, price lists with volume tiers, deal and order lines, quotes.
CREATE TABLE "products" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_i18n" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"product_line" text,
	"unit" text DEFAULT 'pcs' NOT NULL,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"lifecycle" text DEFAULT 'current' NOT NULL,
	"first_of_kind" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "products_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "products_lifecycle" CHECK ("lifecycle" in ('new', 'current', 'phased_out'))
);--> statement-breakpoint
CREATE UNIQUE INDEX "products_org_code" ON "products" USING btree ("org_id", lower("code"));--> statement-breakpoint
CREATE INDEX "products_org_line" ON "products" USING btree ("org_id","product_line");--> statement-breakpoint
CREATE INDEX "products_org_updated" ON "products" USING btree ("org_id","updated_at","id");--> statement-breakpoint
CREATE TABLE "price_lists" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"name" text NOT NULL,
	"currency" char(3) NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"is_default" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "price_lists_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "price_lists_valid" CHECK ("valid_to" is null or "valid_to" >= "valid_from")
);--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_org_default" ON "price_lists" USING btree ("org_id","currency") WHERE "is_default" and "deleted_at" is null;--> statement-breakpoint
CREATE TABLE "price_list_items" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"price_list_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"min_quantity" numeric(14, 3) DEFAULT '1' NOT NULL,
	"unit_price" numeric(18, 4) NOT NULL,
	CONSTRAINT "price_list_items_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "price_list_items_list_fk" FOREIGN KEY ("org_id","price_list_id") REFERENCES "public"."price_lists"("org_id","id") ON DELETE cascade,
	CONSTRAINT "price_list_items_product_fk" FOREIGN KEY ("org_id","product_id") REFERENCES "public"."products"("org_id","id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "price_list_items_tier" ON "price_list_items" USING btree ("org_id","price_list_id","product_id","min_quantity");--> statement-breakpoint
CREATE INDEX "price_list_items_org_product" ON "price_list_items" USING btree ("org_id","product_id");--> statement-breakpoint
CREATE TABLE "opportunity_lines" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"position" smallint NOT NULL,
	"product_id" uuid NOT NULL,
	"description" text,
	"quantity" numeric(14, 3) NOT NULL,
	"list_price" numeric(18, 4),
	"unit_price" numeric(18, 4) NOT NULL,
	"discount_pct" numeric(5, 2) DEFAULT '0' NOT NULL,
	"discount_reason" text,
	"line_total" numeric(18, 2) NOT NULL,
	"price_list_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opportunity_id" uuid NOT NULL,
	CONSTRAINT "opportunity_lines_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "opportunity_lines_opp_fk" FOREIGN KEY ("org_id","opportunity_id") REFERENCES "public"."opportunities"("org_id","id"),
	CONSTRAINT "opportunity_lines_product_fk" FOREIGN KEY ("org_id","product_id") REFERENCES "public"."products"("org_id","id"),
	CONSTRAINT "opportunity_lines_list_fk" FOREIGN KEY ("org_id","price_list_id") REFERENCES "public"."price_lists"("org_id","id")
);--> statement-breakpoint
CREATE INDEX "opportunity_lines_org_opp" ON "opportunity_lines" USING btree ("org_id","opportunity_id","position");--> statement-breakpoint
CREATE INDEX "opportunity_lines_org_product" ON "opportunity_lines" USING btree ("org_id","product_id");--> statement-breakpoint
CREATE TABLE "opportunity_pricing" (
	"org_id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"fx_rate" numeric(18, 8),
	"amount" numeric(18, 2) NOT NULL,
	"amount_base" numeric(18, 2) NOT NULL,
	"line_count" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunity_pricing_org_id_opportunity_id_pk" PRIMARY KEY("org_id","opportunity_id"),
	CONSTRAINT "opportunity_pricing_opp_fk" FOREIGN KEY ("org_id","opportunity_id") REFERENCES "public"."opportunities"("org_id","id")
);--> statement-breakpoint
CREATE TABLE "order_lines" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"position" smallint NOT NULL,
	"product_id" uuid NOT NULL,
	"description" text,
	"quantity" numeric(14, 3) NOT NULL,
	"list_price" numeric(18, 4),
	"unit_price" numeric(18, 4) NOT NULL,
	"discount_pct" numeric(5, 2) DEFAULT '0' NOT NULL,
	"discount_reason" text,
	"line_total" numeric(18, 2) NOT NULL,
	"price_list_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"order_id" uuid NOT NULL,
	CONSTRAINT "order_lines_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "order_lines_order_fk" FOREIGN KEY ("org_id","order_id") REFERENCES "public"."orders"("org_id","id"),
	CONSTRAINT "order_lines_product_fk" FOREIGN KEY ("org_id","product_id") REFERENCES "public"."products"("org_id","id"),
	CONSTRAINT "order_lines_list_fk" FOREIGN KEY ("org_id","price_list_id") REFERENCES "public"."price_lists"("org_id","id")
);--> statement-breakpoint
CREATE INDEX "order_lines_org_order" ON "order_lines" USING btree ("org_id","order_id","position");--> statement-breakpoint
CREATE INDEX "order_lines_org_product" ON "order_lines" USING btree ("org_id","product_id");--> statement-breakpoint
CREATE TABLE "quotes" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"number" text NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"currency" char(3) NOT NULL,
	"fx_rate" numeric(18, 8),
	"total" numeric(18, 2) NOT NULL,
	"total_base" numeric(18, 2) NOT NULL,
	"valid_until" date NOT NULL,
	"terms" text,
	"lines" jsonb NOT NULL,
	"sent_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"order_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "quotes_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "quotes_opp_fk" FOREIGN KEY ("org_id","opportunity_id") REFERENCES "public"."opportunities"("org_id","id"),
	CONSTRAINT "quotes_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id"),
	CONSTRAINT "quotes_order_fk" FOREIGN KEY ("org_id","order_id") REFERENCES "public"."orders"("org_id","id"),
	CONSTRAINT "quotes_status" CHECK ("status" in ('draft', 'sent', 'accepted', 'rejected', 'expired'))
);--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_org_number" ON "quotes" USING btree ("org_id","number","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_org_one_accepted" ON "quotes" USING btree ("org_id","opportunity_id") WHERE "status" = 'accepted' and "deleted_at" is null;--> statement-breakpoint
CREATE INDEX "quotes_org_opp" ON "quotes" USING btree ("org_id","opportunity_id");--> statement-breakpoint
CREATE TABLE "quote_counters" (
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "quote_counters_org_id_year_pk" PRIMARY KEY("org_id","year")
);
