-- How many 办件 each department has in each status (matter_status_counts): the 办件 list's total without a
-- period sums these rows instead of counting every 办件 of the scope. WITHOUT ROWID, clustered on its key.
-- Filled from the 办件 stored so far; from here on every batch of pushes keeps it (RollupBatch.countMatter, db/queries/rollups.ts).
CREATE TABLE `matter_status_counts` (
	`department_id` integer NOT NULL,
	`status` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `matter_status_counts` (`department_id`, `status`, `count`)
SELECT `department_id`, `status`, count(*) FROM `matters` GROUP BY `department_id`, `status`;
