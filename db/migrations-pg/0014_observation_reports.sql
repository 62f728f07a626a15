ALTER TABLE "cases" ADD COLUMN "reported_by" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "observed_day" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "project_no" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "walkthrough" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_reported_by_idx" ON "cases" USING btree ("reported_by","created_at");