CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"user_id" bigint,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "cache_versions" (
	"name" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint NOT NULL,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"at" bigint NOT NULL,
	"by_user_id" bigint,
	"note" text,
	"data" text,
	"public" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_sequences" (
	"prefix" text PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_status_counts" (
	"department_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_status_counts_department_id_kind_status_pk" PRIMARY KEY("department_id","kind","status")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_no" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"rating_id" bigint NOT NULL,
	"department_id" bigint NOT NULL,
	"code_id" text NOT NULL,
	"rating_day" text NOT NULL,
	"anonymous" integer NOT NULL,
	"officer_id" bigint,
	"classification" text,
	"satisfaction" text,
	"genuine" integer,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"contact_due_date" text NOT NULL,
	"due_date" text NOT NULL,
	"status_token" text NOT NULL,
	"draw_id" bigint,
	"visited_at" bigint,
	"rectified_at" bigint,
	"answered_at" bigint,
	"closed_at" bigint,
	"escalated_at" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "cases_case_no_unique" UNIQUE("case_no"),
	CONSTRAINT "cases_status_token_unique" UNIQUE("status_token")
);
--> statement-breakpoint
CREATE TABLE "codes" (
	"id" text PRIMARY KEY NOT NULL,
	"department_id" bigint NOT NULL,
	"location" text NOT NULL,
	"staff_name" text,
	"service_items" text,
	"active" integer DEFAULT 1 NOT NULL,
	"disabled_at" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"seq" bigserial NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cumulative_code_stats" (
	"code_id" text NOT NULL,
	"day" text NOT NULL,
	"s1" integer DEFAULT 0 NOT NULL,
	"s2" integer DEFAULT 0 NOT NULL,
	"s3" integer DEFAULT 0 NOT NULL,
	"s4" integer DEFAULT 0 NOT NULL,
	"s5" integer DEFAULT 0 NOT NULL,
	"real_name" integer DEFAULT 0 NOT NULL,
	"submissions" integer DEFAULT 0 NOT NULL,
	"opens" integer DEFAULT 0 NOT NULL,
	"last_submission_day" text,
	"last_open_day" text,
	CONSTRAINT "cumulative_code_stats_code_id_day_pk" PRIMARY KEY("code_id","day")
);
--> statement-breakpoint
CREATE TABLE "daily_case_stats" (
	"department_id" bigint NOT NULL,
	"day" text NOT NULL,
	"cases" integer DEFAULT 0 NOT NULL,
	"real_name" integer DEFAULT 0 NOT NULL,
	"real_name_visited" integer DEFAULT 0 NOT NULL,
	"valid" integer DEFAULT 0 NOT NULL,
	"valid_rectified" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_satisfied" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	"closed_on_time" integer DEFAULT 0 NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_case_stats_department_id_day_pk" PRIMARY KEY("department_id","day")
);
--> statement-breakpoint
CREATE TABLE "daily_code_stats" (
	"code_id" text NOT NULL,
	"day" text NOT NULL,
	"department_id" bigint NOT NULL,
	"s1" integer DEFAULT 0 NOT NULL,
	"s2" integer DEFAULT 0 NOT NULL,
	"s3" integer DEFAULT 0 NOT NULL,
	"s4" integer DEFAULT 0 NOT NULL,
	"s5" integer DEFAULT 0 NOT NULL,
	"real_name" integer DEFAULT 0 NOT NULL,
	"submissions" integer DEFAULT 0 NOT NULL,
	"opens" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_code_stats_code_id_day_pk" PRIMARY KEY("code_id","day")
);
--> statement-breakpoint
CREATE TABLE "daily_department_stats" (
	"department_id" bigint NOT NULL,
	"day" text NOT NULL,
	"s1" integer DEFAULT 0 NOT NULL,
	"s2" integer DEFAULT 0 NOT NULL,
	"s3" integer DEFAULT 0 NOT NULL,
	"s4" integer DEFAULT 0 NOT NULL,
	"s5" integer DEFAULT 0 NOT NULL,
	"real_name" integer DEFAULT 0 NOT NULL,
	"submissions" integer DEFAULT 0 NOT NULL,
	"opens" integer DEFAULT 0 NOT NULL,
	"h0" integer DEFAULT 0 NOT NULL,
	"h1" integer DEFAULT 0 NOT NULL,
	"h2" integer DEFAULT 0 NOT NULL,
	"h3" integer DEFAULT 0 NOT NULL,
	"h4" integer DEFAULT 0 NOT NULL,
	"h5" integer DEFAULT 0 NOT NULL,
	"h6" integer DEFAULT 0 NOT NULL,
	"h7" integer DEFAULT 0 NOT NULL,
	"h8" integer DEFAULT 0 NOT NULL,
	"h9" integer DEFAULT 0 NOT NULL,
	"h10" integer DEFAULT 0 NOT NULL,
	"h11" integer DEFAULT 0 NOT NULL,
	"h12" integer DEFAULT 0 NOT NULL,
	"h13" integer DEFAULT 0 NOT NULL,
	"h14" integer DEFAULT 0 NOT NULL,
	"h15" integer DEFAULT 0 NOT NULL,
	"h16" integer DEFAULT 0 NOT NULL,
	"h17" integer DEFAULT 0 NOT NULL,
	"h18" integer DEFAULT 0 NOT NULL,
	"h19" integer DEFAULT 0 NOT NULL,
	"h20" integer DEFAULT 0 NOT NULL,
	"h21" integer DEFAULT 0 NOT NULL,
	"h22" integer DEFAULT 0 NOT NULL,
	"h23" integer DEFAULT 0 NOT NULL,
	"b0" integer DEFAULT 0 NOT NULL,
	"b1" integer DEFAULT 0 NOT NULL,
	"b2" integer DEFAULT 0 NOT NULL,
	"b3" integer DEFAULT 0 NOT NULL,
	"b4" integer DEFAULT 0 NOT NULL,
	"b5" integer DEFAULT 0 NOT NULL,
	"b6" integer DEFAULT 0 NOT NULL,
	"b7" integer DEFAULT 0 NOT NULL,
	"b8" integer DEFAULT 0 NOT NULL,
	"b9" integer DEFAULT 0 NOT NULL,
	"b10" integer DEFAULT 0 NOT NULL,
	"b11" integer DEFAULT 0 NOT NULL,
	"b12" integer DEFAULT 0 NOT NULL,
	"b13" integer DEFAULT 0 NOT NULL,
	"b14" integer DEFAULT 0 NOT NULL,
	"b15" integer DEFAULT 0 NOT NULL,
	"b16" integer DEFAULT 0 NOT NULL,
	"b17" integer DEFAULT 0 NOT NULL,
	"b18" integer DEFAULT 0 NOT NULL,
	"b19" integer DEFAULT 0 NOT NULL,
	"b20" integer DEFAULT 0 NOT NULL,
	"b21" integer DEFAULT 0 NOT NULL,
	"b22" integer DEFAULT 0 NOT NULL,
	"b23" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_department_stats_department_id_day_pk" PRIMARY KEY("department_id","day")
);
--> statement-breakpoint
CREATE TABLE "daily_tag_stats" (
	"department_id" bigint NOT NULL,
	"day" text NOT NULL,
	"tag" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_tag_stats_tag_department_id_day_pk" PRIMARY KEY("tag","department_id","day")
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_unit_id" bigint NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" integer DEFAULT 1 NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holiday_tables" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" text NOT NULL,
	"workdays" text NOT NULL,
	"source" text,
	"loaded_by" integer,
	"loaded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"webhook_id" bigint NOT NULL,
	"event" text NOT NULL,
	"case_id" bigint,
	"payload" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" bigint,
	"created_at" bigint NOT NULL,
	"delivered_at" bigint
);
--> statement-breakpoint
CREATE TABLE "org_units" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"parent_id" bigint,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit_hits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rating_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rating_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"case_id" bigint,
	"decided_by" integer,
	"decided_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"code_id" text NOT NULL,
	"department_id" bigint NOT NULL,
	"score" integer NOT NULL,
	"tags" text NOT NULL,
	"comment" text,
	"phone_enc" text,
	"real_name" integer DEFAULT 0 NOT NULL,
	"phone_erased_at" bigint,
	"client_hash" text,
	"net_hash" text,
	"idempotency_key" text,
	"channel" text DEFAULT 'qr' NOT NULL,
	"created_at" bigint NOT NULL,
	"day" text NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	"flag_reason" text,
	"excluded" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" integer
);
--> statement-breakpoint
CREATE TABLE "spot_check_draws" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"month" text NOT NULL,
	"seed" text NOT NULL,
	"share" double precision NOT NULL,
	"org_unit_id" bigint,
	"eligible_count" integer NOT NULL,
	"drawn_count" integer NOT NULL,
	"drawn_by" integer NOT NULL,
	"drawn_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_departments" (
	"user_id" bigint NOT NULL,
	"department_id" bigint NOT NULL,
	CONSTRAINT "user_departments_user_id_department_id_pk" PRIMARY KEY("user_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"org_unit_id" bigint,
	"active" integer DEFAULT 1 NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"events" text NOT NULL,
	"org_unit_id" bigint,
	"active" integer DEFAULT 1 NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_rating_id_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."ratings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_code_id_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_draw_id_spot_check_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."spot_check_draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "codes" ADD CONSTRAINT "codes_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holiday_tables" ADD CONSTRAINT "holiday_tables_loaded_by_users_id_fk" FOREIGN KEY ("loaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_parent_id_org_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_decisions" ADD CONSTRAINT "rating_decisions_rating_id_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."ratings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_decisions" ADD CONSTRAINT "rating_decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_code_id_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_draws" ADD CONSTRAINT "spot_check_draws_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_draws" ADD CONSTRAINT "spot_check_draws_drawn_by_users_id_fk" FOREIGN KEY ("drawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_departments" ADD CONSTRAINT "user_departments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_departments" ADD CONSTRAINT "user_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "cases_dept_status_due_idx" ON "cases" USING btree ("department_id","status","due_date");--> statement-breakpoint
CREATE INDEX "cases_status_due_idx" ON "cases" USING btree ("status","due_date");--> statement-breakpoint
CREATE INDEX "cases_rating_idx" ON "cases" USING btree ("rating_id");--> statement-breakpoint
CREATE INDEX "cases_closed_idx" ON "cases" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "cases_dept_created_idx" ON "cases" USING btree ("department_id","created_at");--> statement-breakpoint
CREATE INDEX "codes_department_idx" ON "codes" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "daily_code_stats_day_idx" ON "daily_code_stats" USING btree ("day");--> statement-breakpoint
CREATE INDEX "daily_tag_stats_dept_day_idx" ON "daily_tag_stats" USING btree ("department_id","day","tag","count");--> statement-breakpoint
CREATE UNIQUE INDEX "departments_org_name_uq" ON "departments" USING btree ("org_unit_id","name");--> statement-breakpoint
CREATE INDEX "notification_deliveries_status_idx" ON "notification_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "rating_decisions_rating_idx" ON "rating_decisions" USING btree ("rating_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ratings_idempotency_uq" ON "ratings" USING btree ("code_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "ratings_dept_day_idx" ON "ratings" USING btree ("department_id","day");--> statement-breakpoint
CREATE INDEX "ratings_day_idx" ON "ratings" USING btree ("day");--> statement-breakpoint
CREATE INDEX "ratings_code_day_idx" ON "ratings" USING btree ("code_id","day");--> statement-breakpoint
CREATE INDEX "ratings_client_at_idx" ON "ratings" USING btree ("client_hash","created_at");--> statement-breakpoint
CREATE INDEX "ratings_net_at_idx" ON "ratings" USING btree ("net_hash","created_at");--> statement-breakpoint
CREATE INDEX "ratings_day_id_idx" ON "ratings" USING btree ("day","id");