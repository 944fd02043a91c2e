-- Voice of the customer (issue #18, DOMAIN §9): feedback on every channel, complaints with deadlines, service questions.
CREATE TABLE "feedback" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"account_id" uuid,
	"contact_id" uuid,
	"person_name" text,
	"person_contact" text,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"language" text,
	"rating" numeric(6, 2),
	"rating_scale" smallint,
	"source_url" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"visibility" text DEFAULT 'private' NOT NULL,
	"sentiment" text,
	"sentiment_score" real,
	"sentiment_source" text,
	"sentiment_label" text,
	"labelled_by" uuid,
	"owner_id" uuid,
	"status" text,
	"severity" text,
	"impact" text,
	"received_at" timestamp with time zone,
	"response_due_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"outcome" text,
	"close_reason" text,
	"paused_at" timestamp with time zone,
	"paused_minutes" integer DEFAULT 0 NOT NULL,
	"warned_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"escalated_to" uuid,
	"journey_step" text,
	"suggestions" jsonb,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "feedback_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "feedback_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id"),
	CONSTRAINT "feedback_contact_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id"),
	CONSTRAINT "feedback_owner_fk" FOREIGN KEY ("org_id","owner_id") REFERENCES "public"."users"("org_id","id"),
	CONSTRAINT "feedback_kind_check" CHECK ("kind" IN ('praise', 'complaint', 'public_attack', 'question', 'suggestion')),
	CONSTRAINT "feedback_visibility_check" CHECK ("visibility" IN ('public', 'private')),
	CONSTRAINT "feedback_sentiment_check" CHECK ("sentiment" IN ('positive', 'neutral', 'negative')),
	CONSTRAINT "feedback_status_check" CHECK ("status" IN ('received', 'acknowledged', 'assessed', 'investigating', 'responded', 'resolved', 'rejected', 'closed')),
	-- Someone is speaking: a known account or contact, or a named person.
	CONSTRAINT "feedback_who_check" CHECK ("account_id" IS NOT NULL OR "contact_id" IS NOT NULL OR "person_name" IS NOT NULL)
);--> statement-breakpoint
CREATE INDEX "feedback_org_occurred" ON "feedback" USING btree ("org_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "feedback_org_account_at" ON "feedback" USING btree ("org_id","account_id","occurred_at");--> statement-breakpoint
CREATE INDEX "feedback_org_contact_at" ON "feedback" USING btree ("org_id","contact_id","occurred_at");--> statement-breakpoint
CREATE INDEX "feedback_org_complaints" ON "feedback" USING btree ("org_id","status","due_at") WHERE "feedback"."status" is not null;--> statement-breakpoint
CREATE INDEX "feedback_org_labelled" ON "feedback" USING btree ("org_id","sentiment_source") WHERE "feedback"."sentiment_label" is not null or "feedback"."rating" is not null;--> statement-breakpoint
-- What reads catch up on (sentiment not scored yet, complaints written in bulk without deadlines): tiny partial indexes.
CREATE INDEX "feedback_org_unscored" ON "feedback" USING btree ("org_id","id") WHERE "feedback"."sentiment" is null and "feedback"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "feedback_org_unscheduled" ON "feedback" USING btree ("org_id","id") WHERE "feedback"."kind" in ('complaint', 'public_attack') and "feedback"."due_at" is null and "feedback"."deleted_at" is null;--> statement-breakpoint
CREATE TABLE "complaint_transitions" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"feedback_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by" uuid,
	"note" text,
	CONSTRAINT "complaint_transitions_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "complaint_transitions_feedback_fk" FOREIGN KEY ("org_id","feedback_id") REFERENCES "public"."feedback"("org_id","id")
);--> statement-breakpoint
CREATE INDEX "complaint_transitions_org_feedback" ON "complaint_transitions" USING btree ("org_id","feedback_id","at");--> statement-breakpoint
-- Organizations made before this migration get the feedback channels too (new ones get them from the defaults).
INSERT INTO "vocab_terms" ("org_id", "vocabulary", "key", "label", "position", "meta")
SELECT o.id, 'feedback_channel', v.key, v.label, v.position, v.meta FROM "organizations" o CROSS JOIN (VALUES
  ('brand_community', '{"en": "Own brand community", "zh-CN": "品牌社区", "zh-TW": "品牌社群"}'::jsonb, 0, '{"public": true, "slaFactor": 0.75}'::jsonb),
  ('news_media', '{"en": "News media", "zh-CN": "新闻媒体", "zh-TW": "新聞媒體"}'::jsonb, 1, '{"public": true, "slaFactor": 0.25}'::jsonb),
  ('government', '{"en": "Government body", "zh-CN": "政府机构", "zh-TW": "政府機構"}'::jsonb, 2, '{"public": true, "slaFactor": 0.25}'::jsonb),
  ('trade_association', '{"en": "Trade association", "zh-CN": "行业协会", "zh-TW": "行業協會"}'::jsonb, 3, '{"public": true, "slaFactor": 0.5}'::jsonb),
  ('personal_circle', '{"en": "Personal circle / purchasing group", "zh-CN": "个人圈子（采购群）", "zh-TW": "個人圈子（採購群）"}'::jsonb, 4, '{"public": false, "slaFactor": 0.75}'::jsonb),
  ('online_forum', '{"en": "Online forum", "zh-CN": "网络论坛", "zh-TW": "網路論壇"}'::jsonb, 5, '{"public": true, "slaFactor": 0.5}'::jsonb),
  ('social_media', '{"en": "Social media", "zh-CN": "社交媒体", "zh-TW": "社群媒體"}'::jsonb, 6, '{"public": true, "slaFactor": 0.5}'::jsonb),
  ('review_site', '{"en": "Review site", "zh-CN": "评价网站", "zh-TW": "評價網站"}'::jsonb, 7, '{"public": true, "slaFactor": 0.5}'::jsonb),
  ('email', '{"en": "Email", "zh-CN": "邮件", "zh-TW": "郵件"}'::jsonb, 8, '{"public": false, "slaFactor": 1.0}'::jsonb),
  ('phone', '{"en": "Phone", "zh-CN": "电话", "zh-TW": "電話"}'::jsonb, 9, '{"public": false, "slaFactor": 1.0}'::jsonb),
  ('visit', '{"en": "Visit", "zh-CN": "拜访", "zh-TW": "拜訪"}'::jsonb, 10, '{"public": false, "slaFactor": 1.0}'::jsonb),
  ('survey', '{"en": "Survey", "zh-CN": "调查问卷", "zh-TW": "調查問卷"}'::jsonb, 11, '{"public": false, "slaFactor": 1.0}'::jsonb)
) AS v(key, label, position, meta)
ON CONFLICT DO NOTHING;
