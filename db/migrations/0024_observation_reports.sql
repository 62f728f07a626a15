ALTER TABLE `cases` ADD `reported_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `cases` ADD `observed_day` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `project_no` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `walkthrough` integer;--> statement-breakpoint
CREATE INDEX `cases_reported_by_idx` ON `cases` (`reported_by`,`created_at`);