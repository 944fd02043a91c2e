-- Survey links name their organization (`s_<org key>.<random>`, like sessions and API tokens since
-- 0015), so the public page looks a recipient up by (org_id, token_hash): the one unique key on
-- survey_recipients that left org_id out is replaced, and the table distributes by organization.
-- Links of the old format (`s_<random>`) name none: the answer page tells their holders the link was
-- replaced (410 `outdated`); a sender makes new ones with POST /surveys/:id/links (answers stay).
DROP INDEX IF EXISTS "survey_recipients_token";
--> statement-breakpoint
CREATE UNIQUE INDEX "survey_recipients_token" ON "survey_recipients" USING btree ("org_id","token_hash");
