DROP INDEX `matters_status_finished_idx`;--> statement-breakpoint
CREATE INDEX `matters_unrated_idx` ON `matters` (`department_id`,`status`,`rating_count`,`finished_at`);