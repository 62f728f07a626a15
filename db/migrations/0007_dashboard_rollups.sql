-- Dashboard rollups (issue 7): a per-department daily rollup that also carries the heat map's 24
-- hours as columns (replacing hourly_department_stats, one row per hour), per-code running totals
-- (any period of a code = two rows), case counts per department, kind and status, and
-- daily_tag_stats keyed tag first. All are WITHOUT ROWID, clustered on their primary key, which
-- drizzle-kit cannot express: this file was generated, then written by hand; columns, keys and
-- defaults are exactly those of db/schema-rollups.ts. Existing databases get the new tables filled
-- from the rollups and cases they already have, so their figures stay what they were (npm run
-- recount proves it).
CREATE TABLE `daily_department_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`s1` integer DEFAULT 0 NOT NULL,
	`s2` integer DEFAULT 0 NOT NULL,
	`s3` integer DEFAULT 0 NOT NULL,
	`s4` integer DEFAULT 0 NOT NULL,
	`s5` integer DEFAULT 0 NOT NULL,
	`real_name` integer DEFAULT 0 NOT NULL,
	`submissions` integer DEFAULT 0 NOT NULL,
	`opens` integer DEFAULT 0 NOT NULL,
	`h0` integer DEFAULT 0 NOT NULL,
	`h1` integer DEFAULT 0 NOT NULL,
	`h2` integer DEFAULT 0 NOT NULL,
	`h3` integer DEFAULT 0 NOT NULL,
	`h4` integer DEFAULT 0 NOT NULL,
	`h5` integer DEFAULT 0 NOT NULL,
	`h6` integer DEFAULT 0 NOT NULL,
	`h7` integer DEFAULT 0 NOT NULL,
	`h8` integer DEFAULT 0 NOT NULL,
	`h9` integer DEFAULT 0 NOT NULL,
	`h10` integer DEFAULT 0 NOT NULL,
	`h11` integer DEFAULT 0 NOT NULL,
	`h12` integer DEFAULT 0 NOT NULL,
	`h13` integer DEFAULT 0 NOT NULL,
	`h14` integer DEFAULT 0 NOT NULL,
	`h15` integer DEFAULT 0 NOT NULL,
	`h16` integer DEFAULT 0 NOT NULL,
	`h17` integer DEFAULT 0 NOT NULL,
	`h18` integer DEFAULT 0 NOT NULL,
	`h19` integer DEFAULT 0 NOT NULL,
	`h20` integer DEFAULT 0 NOT NULL,
	`h21` integer DEFAULT 0 NOT NULL,
	`h22` integer DEFAULT 0 NOT NULL,
	`h23` integer DEFAULT 0 NOT NULL,
	`b0` integer DEFAULT 0 NOT NULL,
	`b1` integer DEFAULT 0 NOT NULL,
	`b2` integer DEFAULT 0 NOT NULL,
	`b3` integer DEFAULT 0 NOT NULL,
	`b4` integer DEFAULT 0 NOT NULL,
	`b5` integer DEFAULT 0 NOT NULL,
	`b6` integer DEFAULT 0 NOT NULL,
	`b7` integer DEFAULT 0 NOT NULL,
	`b8` integer DEFAULT 0 NOT NULL,
	`b9` integer DEFAULT 0 NOT NULL,
	`b10` integer DEFAULT 0 NOT NULL,
	`b11` integer DEFAULT 0 NOT NULL,
	`b12` integer DEFAULT 0 NOT NULL,
	`b13` integer DEFAULT 0 NOT NULL,
	`b14` integer DEFAULT 0 NOT NULL,
	`b15` integer DEFAULT 0 NOT NULL,
	`b16` integer DEFAULT 0 NOT NULL,
	`b17` integer DEFAULT 0 NOT NULL,
	`b18` integer DEFAULT 0 NOT NULL,
	`b19` integer DEFAULT 0 NOT NULL,
	`b20` integer DEFAULT 0 NOT NULL,
	`b21` integer DEFAULT 0 NOT NULL,
	`b22` integer DEFAULT 0 NOT NULL,
	`b23` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `daily_department_stats` (`department_id`, `day`, `s1`, `s2`, `s3`, `s4`, `s5`, `real_name`, `submissions`, `opens`)
SELECT `department_id`, `day`, sum(`s1`), sum(`s2`), sum(`s3`), sum(`s4`), sum(`s5`), sum(`real_name`), sum(`submissions`), sum(`opens`)
FROM `daily_code_stats` GROUP BY `department_id`, `day`;
--> statement-breakpoint
INSERT INTO `daily_department_stats` (`department_id`, `day`, `h0`, `h1`, `h2`, `h3`, `h4`, `h5`, `h6`, `h7`, `h8`, `h9`, `h10`, `h11`, `h12`, `h13`, `h14`, `h15`, `h16`, `h17`, `h18`, `h19`, `h20`, `h21`, `h22`, `h23`, `b0`, `b1`, `b2`, `b3`, `b4`, `b5`, `b6`, `b7`, `b8`, `b9`, `b10`, `b11`, `b12`, `b13`, `b14`, `b15`, `b16`, `b17`, `b18`, `b19`, `b20`, `b21`, `b22`, `b23`)
SELECT `department_id`, `day`, sum(CASE WHEN `hour` = 0 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 1 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 2 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 3 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 4 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 5 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 6 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 7 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 8 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 9 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 10 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 11 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 12 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 13 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 14 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 15 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 16 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 17 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 18 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 19 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 20 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 21 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 22 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 23 THEN `total` ELSE 0 END), sum(CASE WHEN `hour` = 0 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 1 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 2 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 3 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 4 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 5 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 6 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 7 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 8 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 9 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 10 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 11 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 12 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 13 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 14 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 15 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 16 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 17 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 18 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 19 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 20 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 21 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 22 THEN `bad` ELSE 0 END), sum(CASE WHEN `hour` = 23 THEN `bad` ELSE 0 END)
FROM `hourly_department_stats` WHERE true GROUP BY `department_id`, `day`
ON CONFLICT (`department_id`, `day`) DO UPDATE SET `h0` = excluded.`h0`, `h1` = excluded.`h1`, `h2` = excluded.`h2`, `h3` = excluded.`h3`, `h4` = excluded.`h4`, `h5` = excluded.`h5`, `h6` = excluded.`h6`, `h7` = excluded.`h7`, `h8` = excluded.`h8`, `h9` = excluded.`h9`, `h10` = excluded.`h10`, `h11` = excluded.`h11`, `h12` = excluded.`h12`, `h13` = excluded.`h13`, `h14` = excluded.`h14`, `h15` = excluded.`h15`, `h16` = excluded.`h16`, `h17` = excluded.`h17`, `h18` = excluded.`h18`, `h19` = excluded.`h19`, `h20` = excluded.`h20`, `h21` = excluded.`h21`, `h22` = excluded.`h22`, `h23` = excluded.`h23`, `b0` = excluded.`b0`, `b1` = excluded.`b1`, `b2` = excluded.`b2`, `b3` = excluded.`b3`, `b4` = excluded.`b4`, `b5` = excluded.`b5`, `b6` = excluded.`b6`, `b7` = excluded.`b7`, `b8` = excluded.`b8`, `b9` = excluded.`b9`, `b10` = excluded.`b10`, `b11` = excluded.`b11`, `b12` = excluded.`b12`, `b13` = excluded.`b13`, `b14` = excluded.`b14`, `b15` = excluded.`b15`, `b16` = excluded.`b16`, `b17` = excluded.`b17`, `b18` = excluded.`b18`, `b19` = excluded.`b19`, `b20` = excluded.`b20`, `b21` = excluded.`b21`, `b22` = excluded.`b22`, `b23` = excluded.`b23`;
--> statement-breakpoint
DROP TABLE `hourly_department_stats`;
--> statement-breakpoint
CREATE TABLE `cumulative_code_stats` (
	`code_id` text NOT NULL,
	`day` text NOT NULL,
	`s1` integer DEFAULT 0 NOT NULL,
	`s2` integer DEFAULT 0 NOT NULL,
	`s3` integer DEFAULT 0 NOT NULL,
	`s4` integer DEFAULT 0 NOT NULL,
	`s5` integer DEFAULT 0 NOT NULL,
	`real_name` integer DEFAULT 0 NOT NULL,
	`submissions` integer DEFAULT 0 NOT NULL,
	`opens` integer DEFAULT 0 NOT NULL,
	`last_submission_day` text,
	`last_open_day` text,
	PRIMARY KEY(`code_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `cumulative_code_stats`
SELECT `code_id`, `day`, sum(`s1`) OVER w, sum(`s2`) OVER w, sum(`s3`) OVER w, sum(`s4`) OVER w, sum(`s5`) OVER w,
	sum(`real_name`) OVER w, sum(`submissions`) OVER w, sum(`opens`) OVER w,
	max(CASE WHEN `submissions` > 0 THEN `day` END) OVER w, max(CASE WHEN `opens` > 0 THEN `day` END) OVER w
FROM `daily_code_stats` WINDOW w AS (PARTITION BY `code_id` ORDER BY `day`);
--> statement-breakpoint
-- Department figures come from daily_department_stats now; this index only cost every rating a write.
DROP INDEX `daily_code_stats_dept_day_cover_idx`;
--> statement-breakpoint
CREATE TABLE `__new_daily_tag_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`tag` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tag`, `department_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_daily_tag_stats` SELECT `department_id`, `day`, `tag`, `count` FROM `daily_tag_stats`;
--> statement-breakpoint
DROP TABLE `daily_tag_stats`;
--> statement-breakpoint
ALTER TABLE `__new_daily_tag_stats` RENAME TO `daily_tag_stats`;
--> statement-breakpoint
CREATE TABLE `case_status_counts` (
	`department_id` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `kind`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `case_status_counts` SELECT `department_id`, `kind`, `status`, count(*) FROM `cases` GROUP BY `department_id`, `kind`, `status`;
