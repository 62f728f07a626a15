-- Rollups per organisation unit (issue 18): daily_department_stats, daily_tag_stats and daily_case_stats
-- summed over each unit's own departments, written with them. An administrator's or supervisor's scope is
-- whole units, and its trend, heat map, tags and summary then sum a unit's rows instead of each of its
-- departments' (a province: 40 counties instead of 400 departments, 12,000 rows a month). Filled here from
-- the department rollups, which the recount proves.
-- WITHOUT ROWID added by hand (drizzle-kit cannot express it), as in 0004.
CREATE TABLE `daily_org_unit_case_stats` (
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
CREATE TABLE `daily_org_unit_stats` (
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
	PRIMARY KEY(`org_unit_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `daily_org_unit_tag_stats` (
	`org_unit_id` integer NOT NULL,
	`day` text NOT NULL,
	`tag` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tag`, `org_unit_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO daily_org_unit_stats (org_unit_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, defaults, default_good, finished_matters, rated_matters, held, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23)
SELECT d.org_unit_id, s.day, sum(s.s1), sum(s.s2), sum(s.s3), sum(s.s4), sum(s.s5), sum(s.real_name), sum(s.submissions), sum(s.opens), sum(s.defaults), sum(s.default_good), sum(s.finished_matters), sum(s.rated_matters), sum(s.held), sum(s.h0), sum(s.h1), sum(s.h2), sum(s.h3), sum(s.h4), sum(s.h5), sum(s.h6), sum(s.h7), sum(s.h8), sum(s.h9), sum(s.h10), sum(s.h11), sum(s.h12), sum(s.h13), sum(s.h14), sum(s.h15), sum(s.h16), sum(s.h17), sum(s.h18), sum(s.h19), sum(s.h20), sum(s.h21), sum(s.h22), sum(s.h23), sum(s.b0), sum(s.b1), sum(s.b2), sum(s.b3), sum(s.b4), sum(s.b5), sum(s.b6), sum(s.b7), sum(s.b8), sum(s.b9), sum(s.b10), sum(s.b11), sum(s.b12), sum(s.b13), sum(s.b14), sum(s.b15), sum(s.b16), sum(s.b17), sum(s.b18), sum(s.b19), sum(s.b20), sum(s.b21), sum(s.b22), sum(s.b23)
FROM daily_department_stats s JOIN departments d ON d.id = s.department_id GROUP BY d.org_unit_id, s.day;
--> statement-breakpoint
INSERT INTO daily_org_unit_tag_stats (org_unit_id, day, tag, count)
SELECT d.org_unit_id, t.day, t.tag, sum(t.count) FROM daily_tag_stats t JOIN departments d ON d.id = t.department_id GROUP BY d.org_unit_id, t.day, t.tag;
--> statement-breakpoint
INSERT INTO daily_org_unit_case_stats (org_unit_id, day, cases, real_name, real_name_visited, valid, valid_rectified, answered, answered_satisfied, closed, closed_on_time, open)
SELECT d.org_unit_id, c.day, sum(c.cases), sum(c.real_name), sum(c.real_name_visited), sum(c.valid), sum(c.valid_rectified), sum(c.answered), sum(c.answered_satisfied), sum(c.closed), sum(c.closed_on_time), sum(c.open)
FROM daily_case_stats c JOIN departments d ON d.id = c.department_id GROUP BY d.org_unit_id, c.day;
