-- Which process runs a job, so that jobs of a process that died (kill -9, power loss) can be marked
-- interrupted instead of staying "running" for ever. Every process that opens the database through
-- the CLI or the server registers itself and beats every few seconds (src/kernel/jobs.ts).
CREATE TABLE "server_instances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pid" integer NOT NULL,
	"hostname" text NOT NULL,
	"command" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "instance_id" uuid;
--> statement-breakpoint
-- Jobs without a table of their own (recomputes); imports keep theirs in import_jobs.
CREATE TABLE "job_runs" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT uuid_generate_v7() NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"instance_id" uuid,
	"message" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "job_runs_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE INDEX "job_runs_org_kind" ON "job_runs" USING btree ("org_id","kind","started_at");
--> statement-breakpoint
-- The owner is stamped by the database from the session's accord.instance_id (set on every
-- connection at open), so no code path that starts a job can forget it.
CREATE FUNCTION "accord_stamp_job_owner"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR (NEW.status = 'running' AND OLD.status IS DISTINCT FROM 'running') THEN
    NEW.instance_id := coalesce(nullif(current_setting('accord.instance_id', true), '')::uuid, NEW.instance_id);
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "import_jobs_owner" BEFORE INSERT OR UPDATE ON "import_jobs" FOR EACH ROW EXECUTE FUNCTION "accord_stamp_job_owner"();
--> statement-breakpoint
CREATE TRIGGER "job_runs_owner" BEFORE INSERT OR UPDATE ON "job_runs" FOR EACH ROW EXECUTE FUNCTION "accord_stamp_job_owner"();
