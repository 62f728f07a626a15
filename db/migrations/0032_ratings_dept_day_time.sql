DROP INDEX `ratings_dept_day_idx`;--> statement-breakpoint
CREATE INDEX `ratings_dept_day_time_idx` ON `ratings` (`department_id`,`day`,`created_at`);