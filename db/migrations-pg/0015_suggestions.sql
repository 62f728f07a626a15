CREATE TABLE "suggestions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"department_id" bigint NOT NULL,
	"code_id" text,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"content" text NOT NULL,
	"submitter_type" text NOT NULL,
	"contact_enc" text,
	"contact_erased_at" bigint,
	"decision" text,
	"reason" text,
	"action" text,
	"answered_at" bigint,
	"answered_by" integer,
	"answer_count" integer DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_code_id_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "suggestions_dept_created_idx" ON "suggestions" USING btree ("department_id","created_at");--> statement-breakpoint
CREATE INDEX "suggestions_answered_idx" ON "suggestions" USING btree ("answered_at");