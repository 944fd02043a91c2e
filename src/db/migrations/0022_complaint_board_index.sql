-- The complaint board (issue #18) reads each status's column counts and its first cards from this index
-- alone: counts by an index-only scan, cards in (due_at, id) order with paused_at at hand for "overdue".
-- At 100k feedback items (40k complaints) the board had sorted every complaint on each read.
CREATE INDEX IF NOT EXISTS "feedback_org_board" ON "feedback" USING btree ("org_id","status","due_at","id","paused_at") WHERE "feedback"."status" is not null and "feedback"."deleted_at" is null;
