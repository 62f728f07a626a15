CREATE TABLE "daily_matter_stats" (
	"department_id" bigint NOT NULL,
	"day" text NOT NULL,
	"code_id" text NOT NULL,
	"task_code" text NOT NULL,
	"staff_name" text NOT NULL,
	"task_name" text NOT NULL,
	"finished" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"defaults" integer DEFAULT 0 NOT NULL,
	"s1" integer DEFAULT 0 NOT NULL,
	"s2" integer DEFAULT 0 NOT NULL,
	"s3" integer DEFAULT 0 NOT NULL,
	"s4" integer DEFAULT 0 NOT NULL,
	"s5" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_matter_stats_department_id_day_code_id_task_code_staff_name_pk" PRIMARY KEY("department_id","day","code_id","task_code","staff_name")
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"org_unit_id" bigint,
	"created_by" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"rotated_at" bigint,
	"revoked_at" bigint,
	"last_call_at" bigint,
	"calls" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_error_at" bigint,
	CONSTRAINT "integrations_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "kiosks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"code_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	"last_seen_at" bigint,
	CONSTRAINT "kiosks_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "matters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_no" text NOT NULL,
	"code_id" text NOT NULL,
	"department_id" bigint NOT NULL,
	"task_code" text NOT NULL,
	"task_name" text NOT NULL,
	"staff_name" text,
	"applicant_type" text,
	"applicant_phone_enc" text,
	"applicant_phone_erased_at" bigint,
	"status" text NOT NULL,
	"source" text,
	"accepted_at" bigint NOT NULL,
	"finished_at" bigint,
	"finished_day" text,
	"promised_date" text,
	"integration_id" bigint,
	"link_token" text,
	"link_expires_at" bigint,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "matters_project_no_unique" UNIQUE("project_no"),
	CONSTRAINT "matters_link_token_unique" UNIQUE("link_token")
);
--> statement-breakpoint
ALTER TABLE "cumulative_code_stats" ADD COLUMN "defaults" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cumulative_code_stats" ADD COLUMN "default_good" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cumulative_code_stats" ADD COLUMN "finished_matters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cumulative_code_stats" ADD COLUMN "rated_matters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_code_stats" ADD COLUMN "defaults" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_code_stats" ADD COLUMN "default_good" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_code_stats" ADD COLUMN "finished_matters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_code_stats" ADD COLUMN "rated_matters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_department_stats" ADD COLUMN "defaults" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_department_stats" ADD COLUMN "default_good" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_department_stats" ADD COLUMN "finished_matters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_department_stats" ADD COLUMN "rated_matters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "matter_id" bigint;--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "assess_number" integer;--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "superseded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosks" ADD CONSTRAINT "kiosks_code_id_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosks" ADD CONSTRAINT "kiosks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matters" ADD CONSTRAINT "matters_code_id_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matters" ADD CONSTRAINT "matters_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matters" ADD CONSTRAINT "matters_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kiosks_code_idx" ON "kiosks" USING btree ("code_id");--> statement-breakpoint
CREATE INDEX "matters_dept_finished_idx" ON "matters" USING btree ("department_id","finished_day");--> statement-breakpoint
CREATE INDEX "matters_code_finished_idx" ON "matters" USING btree ("code_id","finished_at");--> statement-breakpoint
CREATE INDEX "matters_status_finished_idx" ON "matters" USING btree ("status","rated","finished_at");--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ratings_matter_assess_uq" ON "ratings" USING btree ("matter_id","assess_number");