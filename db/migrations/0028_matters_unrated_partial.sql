DROP INDEX `matters_unrated_idx`;--> statement-breakpoint
CREATE INDEX `matters_unrated_idx` ON `matters` (`department_id`,`finished_at`,`id`) WHERE status = 'finished' AND rating_count = 0;