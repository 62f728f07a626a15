CREATE TABLE "rating_hold_groups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_hash" text NOT NULL,
	"department_id" bigint NOT NULL,
	"first_at" bigint NOT NULL,
	"last_at" bigint NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"held_count" integer DEFAULT 0 NOT NULL,
	"case_id" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spot_check_considered" (
	"rating_id" bigint PRIMARY KEY NOT NULL,
	"draw_id" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cumulative_code_stats" ADD COLUMN "held" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_code_stats" ADD COLUMN "held" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_department_stats" ADD COLUMN "held" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "held" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "hold_group_id" bigint;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "secret_enc" text;--> statement-breakpoint
ALTER TABLE "rating_hold_groups" ADD CONSTRAINT "rating_hold_groups_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_considered" ADD CONSTRAINT "spot_check_considered_rating_id_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."ratings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_considered" ADD CONSTRAINT "spot_check_considered_draw_id_spot_check_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."spot_check_draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rating_hold_groups_subject_idx" ON "rating_hold_groups" USING btree ("subject_hash","last_at");--> statement-breakpoint
CREATE INDEX "rating_hold_groups_dept_idx" ON "rating_hold_groups" USING btree ("department_id","last_at");--> statement-breakpoint
CREATE INDEX "rating_hold_groups_case_idx" ON "rating_hold_groups" USING btree ("case_id") WHERE case_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_hold_group_id_rating_hold_groups_id_fk" FOREIGN KEY ("hold_group_id") REFERENCES "public"."rating_hold_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ratings_held_idx" ON "ratings" USING btree ("department_id","id","created_at","code_id","hold_group_id","net_hash","client_hash") WHERE held = 1;--> statement-breakpoint
CREATE INDEX "ratings_hold_group_idx" ON "ratings" USING btree ("hold_group_id") WHERE hold_group_id IS NOT NULL;