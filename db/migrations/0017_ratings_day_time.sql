DROP INDEX `ratings_day_idx`;--> statement-breakpoint
CREATE INDEX `ratings_day_time_idx` ON `ratings` (`day`,`created_at`);