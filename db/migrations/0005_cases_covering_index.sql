DROP INDEX `cases_dept_status_idx`;--> statement-breakpoint
CREATE INDEX `cases_dept_status_due_idx` ON `cases` (`department_id`,`status`,`due_date`);