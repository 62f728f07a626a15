-- Running totals per department (issue 18): cumulative_department_stats and cumulative_department_case_stats
-- hold, for each day a department has a row of daily_department_stats / daily_case_stats, the sums of its
-- rows up to and including that day, as cumulative_code_stats does for a code. A department's figures over
-- any period are then two rows (the last on or before its end minus the last before its start): the
-- ranking of a province's 400 departments over a year reads 800 rows instead of 146,000. Filled here from
-- the department rollups, which the recount proves (a window sum over each department's days).
-- WITHOUT ROWID added by hand (drizzle-kit cannot express it), as in 0004.
CREATE TABLE `cumulative_department_case_stats` (
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
CREATE TABLE `cumulative_department_stats` (
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
	`defaults` integer DEFAULT 0 NOT NULL,
	`default_good` integer DEFAULT 0 NOT NULL,
	`finished_matters` integer DEFAULT 0 NOT NULL,
	`rated_matters` integer DEFAULT 0 NOT NULL,
	`held` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO cumulative_department_stats (department_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, defaults, default_good, finished_matters, rated_matters, held)
SELECT department_id, day, sum(s1) OVER w, sum(s2) OVER w, sum(s3) OVER w, sum(s4) OVER w, sum(s5) OVER w, sum(real_name) OVER w, sum(submissions) OVER w, sum(opens) OVER w, sum(defaults) OVER w, sum(default_good) OVER w, sum(finished_matters) OVER w, sum(rated_matters) OVER w, sum(held) OVER w
FROM daily_department_stats WINDOW w AS (PARTITION BY department_id ORDER BY day);
--> statement-breakpoint
INSERT INTO cumulative_department_case_stats (department_id, day, cases, real_name, real_name_visited, valid, valid_rectified, answered, answered_satisfied, closed, closed_on_time, open)
SELECT department_id, day, sum(cases) OVER w, sum(real_name) OVER w, sum(real_name_visited) OVER w, sum(valid) OVER w, sum(valid_rectified) OVER w, sum(answered) OVER w, sum(answered_satisfied) OVER w, sum(closed) OVER w, sum(closed_on_time) OVER w, sum(open) OVER w
FROM daily_case_stats WINDOW w AS (PARTITION BY department_id ORDER BY day);
