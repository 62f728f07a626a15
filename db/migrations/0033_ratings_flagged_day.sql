DROP INDEX `ratings_flagged_idx`;--> statement-breakpoint
CREATE INDEX `ratings_flagged_idx` ON `ratings` (`id`,`department_id`,`day`) WHERE flagged = 1;