-- The per-department rollups become WITHOUT ROWID tables clustered on their primary key
-- (department_id, day, …): a period's rows for a department are then contiguous and read without a
-- second lookup per row. drizzle-kit cannot express WITHOUT ROWID, hence this hand-written migration;
-- columns, keys and defaults are exactly those of db/schema.ts.
CREATE TABLE `__new_hourly_department_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`hour` integer NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`bad` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`, `hour`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_hourly_department_stats` SELECT `department_id`, `day`, `hour`, `total`, `bad` FROM `hourly_department_stats`;
--> statement-breakpoint
DROP TABLE `hourly_department_stats`;
--> statement-breakpoint
ALTER TABLE `__new_hourly_department_stats` RENAME TO `hourly_department_stats`;
--> statement-breakpoint
CREATE TABLE `__new_daily_tag_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`tag` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`, `tag`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_daily_tag_stats` SELECT `department_id`, `day`, `tag`, `count` FROM `daily_tag_stats`;
--> statement-breakpoint
DROP TABLE `daily_tag_stats`;
--> statement-breakpoint
ALTER TABLE `__new_daily_tag_stats` RENAME TO `daily_tag_stats`;
--> statement-breakpoint
CREATE TABLE `__new_daily_case_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`cases` integer DEFAULT 0 NOT NULL,
	`real_name` integer DEFAULT 0 NOT NULL,
	`real_name_visited` integer DEFAULT 0 NOT NULL,
	`valid` integer DEFAULT 0 NOT NULL,
	`valid_rectified` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`answered_satisfied` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`closed_on_time` integer DEFAULT 0 NOT NULL,
	`open` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_daily_case_stats` SELECT `department_id`, `day`, `cases`, `real_name`, `real_name_visited`, `valid`, `valid_rectified`, `answered`, `answered_satisfied`, `closed`, `closed_on_time`, `open` FROM `daily_case_stats`;
--> statement-breakpoint
DROP TABLE `daily_case_stats`;
--> statement-breakpoint
ALTER TABLE `__new_daily_case_stats` RENAME TO `daily_case_stats`;
