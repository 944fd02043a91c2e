-- Customer engagement surveys (DOMAIN §8, features/surveys): questionnaires in versions, one token link per
-- recipient (only its hash kept), answers with their derived scores, the account roll-up and its monthly snapshots.
CREATE TABLE IF NOT EXISTS "surveys" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"name" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"current_version_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "surveys_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "surveys_org_updated" ON "surveys" USING btree ("org_id","updated_at","id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "survey_versions" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"survey_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"items" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "survey_versions_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "survey_versions_survey_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "survey_versions_number" ON "survey_versions" USING btree ("org_id","survey_id","number");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "survey_recipients" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"survey_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"account_id" uuid,
	"token_hash" text NOT NULL,
	"language" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"opened_at" timestamp with time zone,
	CONSTRAINT "survey_recipients_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "survey_recipients_survey_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id"),
	CONSTRAINT "survey_recipients_version_fk" FOREIGN KEY ("org_id","version_id") REFERENCES "public"."survey_versions"("org_id","id"),
	CONSTRAINT "survey_recipients_contact_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id"),
	CONSTRAINT "survey_recipients_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id")
);
--> statement-breakpoint
-- The public page knows only the token: like api_tokens and sessions, its hash is unique across organizations.
CREATE UNIQUE INDEX IF NOT EXISTS "survey_recipients_token" ON "survey_recipients" USING btree ("token_hash");
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "survey_recipients_contact" ON "survey_recipients" USING btree ("org_id","survey_id","contact_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "survey_answers" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"survey_id" uuid,
	"version_id" uuid,
	"recipient_id" uuid,
	"contact_id" uuid NOT NULL,
	"account_id" uuid,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"comment" text,
	"source" text DEFAULT 'link' NOT NULL,
	"language" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"recommend" smallint,
	"satisfaction" real,
	"continuation" real,
	"rational" real,
	"confidence" real,
	"integrity" real,
	"pride" real,
	"passion" real,
	"emotional" real,
	"placement" text,
	"interaction_id" uuid,
	CONSTRAINT "survey_answers_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "survey_answers_survey_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id"),
	CONSTRAINT "survey_answers_version_fk" FOREIGN KEY ("org_id","version_id") REFERENCES "public"."survey_versions"("org_id","id"),
	CONSTRAINT "survey_answers_recipient_fk" FOREIGN KEY ("org_id","recipient_id") REFERENCES "public"."survey_recipients"("org_id","id"),
	CONSTRAINT "survey_answers_contact_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id"),
	CONSTRAINT "survey_answers_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id"),
	CONSTRAINT "survey_answers_interaction_fk" FOREIGN KEY ("org_id","interaction_id") REFERENCES "public"."interactions"("org_id","id") ON DELETE set null,
	CONSTRAINT "survey_answers_recommend_range" CHECK ("recommend" between 0 and 10)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "survey_answers_recipient" ON "survey_answers" USING btree ("org_id","recipient_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "survey_answers_account" ON "survey_answers" USING btree ("org_id","account_id","completed_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "survey_answers_contact" ON "survey_answers" USING btree ("org_id","contact_id","completed_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "survey_answers_survey" ON "survey_answers" USING btree ("org_id","survey_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "account_engagement" (
	"org_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"level" text,
	"score" real,
	"respondents" integer DEFAULT 0 NOT NULL,
	"nps" real,
	"nps_answers" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"previous_level" text,
	"previous_score" real,
	"previous_nps" real,
	"last_answer_at" timestamp with time zone,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_engagement_org_id_account_id_pk" PRIMARY KEY("org_id","account_id"),
	CONSTRAINT "account_engagement_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "account_engagement_level" ON "account_engagement" USING btree ("org_id","level");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "engagement_snapshots" (
	"org_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"period" date NOT NULL,
	"level" text,
	"score" real,
	"nps" real,
	"respondents" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "engagement_snapshots_org_id_account_id_period_pk" PRIMARY KEY("org_id","account_id","period"),
	CONSTRAINT "engagement_snapshots_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id")
);
