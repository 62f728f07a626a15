DROP INDEX "report_outbox_due_idx";--> statement-breakpoint
CREATE INDEX "report_outbox_due_idx" ON "report_outbox" USING btree ("state","next_attempt_at","id");