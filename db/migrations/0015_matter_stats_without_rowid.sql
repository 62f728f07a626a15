-- daily_matter_stats becomes a WITHOUT ROWID table clustered on its primary key (department_id, day,
-- code_id, task_code, staff_name), as the other per-department rollups did in 0004/0007: rows arrive in
-- time order, every department's 办件 of a day interleaved, so in a rowid table a department's month
-- (the per-经办人 / per-事项 views) is thousands of rows on as many pages; clustered, it is contiguous.
-- drizzle-kit cannot express WITHOUT ROWID, hence this hand-written migration; columns, keys and
-- defaults are exactly those of db/schema-rollups.ts.
CREATE TABLE `__new_daily_matter_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`code_id` text NOT NULL,
	`task_code` text NOT NULL,
	`staff_name` text NOT NULL,
	`task_name` text NOT NULL,
	`finished` integer DEFAULT 0 NOT NULL,
	`rated` integer DEFAULT 0 NOT NULL,
	`defaults` integer DEFAULT 0 NOT NULL,
	`s1` integer DEFAULT 0 NOT NULL,
	`s2` integer DEFAULT 0 NOT NULL,
	`s3` integer DEFAULT 0 NOT NULL,
	`s4` integer DEFAULT 0 NOT NULL,
	`s5` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`, `code_id`, `task_code`, `staff_name`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_daily_matter_stats` SELECT `department_id`, `day`, `code_id`, `task_code`, `staff_name`, `task_name`, `finished`,
	`rated`, `defaults`, `s1`, `s2`, `s3`, `s4`, `s5` FROM `daily_matter_stats`;
--> statement-breakpoint
DROP TABLE `daily_matter_stats`;
--> statement-breakpoint
ALTER TABLE `__new_daily_matter_stats` RENAME TO `daily_matter_stats`;
