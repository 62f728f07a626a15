ALTER TABLE "cases" ALTER COLUMN "code_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "order_no" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "entered_by" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_channel_order_idx" ON "cases" USING btree ("channel","order_no");