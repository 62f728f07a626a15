DROP INDEX "ratings_day_id_idx";--> statement-breakpoint
CREATE INDEX "ratings_day_time_id_idx" ON "ratings" USING btree ("day","created_at","id");