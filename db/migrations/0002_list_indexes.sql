CREATE INDEX `cases_created_idx` ON `cases` (`created_at`);--> statement-breakpoint
CREATE INDEX `ratings_day_idx` ON `ratings` (`day`);