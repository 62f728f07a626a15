CREATE TABLE "report_batches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"day" text NOT NULL,
	"records" integer NOT NULL,
	"acked" integer NOT NULL,
	"status" integer,
	"answer" text,
	"ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"rating_id" bigint NOT NULL,
	"case_id" bigint,
	"day" text NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"body" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"first_failed_at" bigint,
	"last_attempt_at" bigint,
	"last_answer" text,
	"created_at" bigint NOT NULL,
	"acked_at" bigint
);
--> statement-breakpoint
ALTER TABLE "report_outbox" ADD CONSTRAINT "report_outbox_rating_id_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."ratings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_outbox" ADD CONSTRAINT "report_outbox_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_batches_at_idx" ON "report_batches" USING btree ("at");--> statement-breakpoint
CREATE INDEX "report_outbox_due_idx" ON "report_outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "report_outbox_day_idx" ON "report_outbox" USING btree ("kind","day","state");--> statement-breakpoint
CREATE INDEX "report_outbox_rating_idx" ON "report_outbox" USING btree ("rating_id");