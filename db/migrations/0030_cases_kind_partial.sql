DROP INDEX `cases_kind_dept_day_idx`;--> statement-breakpoint
CREATE INDEX `cases_kind_dept_day_idx` ON `cases` (`kind`,`department_id`,`rating_day`) WHERE kind <> 'bad_rating';