CREATE TABLE "guide_codes" (
	"guide_id" bigint NOT NULL,
	"code_id" text NOT NULL,
	CONSTRAINT "guide_codes_guide_id_code_id_pk" PRIMARY KEY("guide_id","code_id")
);
--> statement-breakpoint
CREATE TABLE "guide_versions" (
	"guide_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"content" text NOT NULL,
	"edited_by" integer,
	"edited_at" bigint NOT NULL,
	CONSTRAINT "guide_versions_guide_id_version_pk" PRIMARY KEY("guide_id","version")
);
--> statement-breakpoint
CREATE TABLE "guides" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"department_id" bigint NOT NULL,
	"task_code" text,
	"task_name" text NOT NULL,
	"materials" text NOT NULL,
	"steps" text NOT NULL,
	"legal_days" integer,
	"promised_days" integer,
	"fees" text NOT NULL,
	"legal_basis" text NOT NULL,
	"location" text NOT NULL,
	"hours" text NOT NULL,
	"phone" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guide_codes" ADD CONSTRAINT "guide_codes_guide_id_guides_id_fk" FOREIGN KEY ("guide_id") REFERENCES "public"."guides"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guide_codes" ADD CONSTRAINT "guide_codes_code_id_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guide_versions" ADD CONSTRAINT "guide_versions_guide_id_guides_id_fk" FOREIGN KEY ("guide_id") REFERENCES "public"."guides"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guide_versions" ADD CONSTRAINT "guide_versions_edited_by_users_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guides" ADD CONSTRAINT "guides_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guide_codes_code_idx" ON "guide_codes" USING btree ("code_id");--> statement-breakpoint
CREATE INDEX "guides_department_idx" ON "guides" USING btree ("department_id");