-- A composite foreign key with ON DELETE SET NULL would null org_id as well as interaction_id, and
-- Citus refuses SET NULL on a key that holds the distribution column. Interactions are only ever
-- soft-deleted, so the plain (NO ACTION) key loses nothing.
ALTER TABLE "survey_answers" DROP CONSTRAINT "survey_answers_interaction_fk";
--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_interaction_fk" FOREIGN KEY ("org_id","interaction_id") REFERENCES "public"."interactions"("org_id","id");
