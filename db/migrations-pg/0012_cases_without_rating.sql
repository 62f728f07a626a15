CREATE TABLE "case_departments" (
	"case_id" bigint NOT NULL,
	"department_id" bigint NOT NULL,
	"added_at" bigint NOT NULL,
	"added_by" integer,
	"part_note" text,
	"part_at" bigint,
	"part_by" integer,
	CONSTRAINT "case_departments_case_id_department_id_pk" PRIMARY KEY("case_id","department_id")
);
--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "rating_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "phone_erased_at" bigint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "handling" text;--> statement-breakpoint
ALTER TABLE "case_departments" ADD CONSTRAINT "case_departments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_departments" ADD CONSTRAINT "case_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_departments" ADD CONSTRAINT "case_departments_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_departments" ADD CONSTRAINT "case_departments_part_by_users_id_fk" FOREIGN KEY ("part_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_departments_dept_idx" ON "case_departments" USING btree ("department_id","case_id");