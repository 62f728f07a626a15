-- Running totals per organisation unit (issue 18): cumulative_org_unit_stats and cumulative_org_unit_case_stats
-- hold, for each day a unit has a row of daily_org_unit_stats / daily_org_unit_case_stats, the sums of its
-- rows up to and including that day, as cumulative_department_stats does for a department. A whole-unit
-- scope's figures over any period are then two rows a unit, and a trend by week or month one row a unit
-- per bucket: a province's trend of a year by month reads 520 rows instead of 14,600. Filled here from
-- the unit rollups, which the recount proves (a window sum over each unit's days).
-- WITHOUT ROWID added by hand (drizzle-kit cannot express it), as in 0004.
CREATE TABLE `cumulative_org_unit_case_stats` (
	`org_unit_id` integer NOT NULL,
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
	PRIMARY KEY(`org_unit_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `cumulative_org_unit_stats` (
	`org_unit_id` integer NOT NULL,
	`day` text NOT NULL,
	`s1` integer DEFAULT 0 NOT NULL,
	`s2` integer DEFAULT 0 NOT NULL,
	`s3` integer DEFAULT 0 NOT NULL,
	`s4` integer DEFAULT 0 NOT NULL,
	`s5` integer DEFAULT 0 NOT NULL,
	`real_name` integer DEFAULT 0 NOT NULL,
	`submissions` integer DEFAULT 0 NOT NULL,
	`opens` integer DEFAULT 0 NOT NULL,
	`defaults` integer DEFAULT 0 NOT NULL,
	`default_good` integer DEFAULT 0 NOT NULL,
	`finished_matters` integer DEFAULT 0 NOT NULL,
	`rated_matters` integer DEFAULT 0 NOT NULL,
	`held` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_unit_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO cumulative_org_unit_stats (org_unit_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, defaults, default_good, finished_matters, rated_matters, held)
SELECT org_unit_id, day, sum(s1) OVER w, sum(s2) OVER w, sum(s3) OVER w, sum(s4) OVER w, sum(s5) OVER w, sum(real_name) OVER w, sum(submissions) OVER w, sum(opens) OVER w, sum(defaults) OVER w, sum(default_good) OVER w, sum(finished_matters) OVER w, sum(rated_matters) OVER w, sum(held) OVER w
FROM daily_org_unit_stats WINDOW w AS (PARTITION BY org_unit_id ORDER BY day);
--> statement-breakpoint
INSERT INTO cumulative_org_unit_case_stats (org_unit_id, day, cases, real_name, real_name_visited, valid, valid_rectified, answered, answered_satisfied, closed, closed_on_time, open)
SELECT org_unit_id, day, sum(cases) OVER w, sum(real_name) OVER w, sum(real_name_visited) OVER w, sum(valid) OVER w, sum(valid_rectified) OVER w, sum(answered) OVER w, sum(answered_satisfied) OVER w, sum(closed) OVER w, sum(closed_on_time) OVER w, sum(open) OVER w
FROM daily_org_unit_case_stats WINDOW w AS (PARTITION BY org_unit_id ORDER BY day);
