CREATE TABLE `rating_hold_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_hash` text NOT NULL,
	`department_id` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`rating_count` integer DEFAULT 0 NOT NULL,
	`held_count` integer DEFAULT 0 NOT NULL,
	`case_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rating_hold_groups_subject_idx` ON `rating_hold_groups` (`subject_hash`,`last_at`);--> statement-breakpoint
CREATE INDEX `rating_hold_groups_dept_idx` ON `rating_hold_groups` (`department_id`,`last_at`);--> statement-breakpoint
CREATE INDEX `rating_hold_groups_case_idx` ON `rating_hold_groups` (`case_id`) WHERE case_id IS NOT NULL;--> statement-breakpoint
CREATE TABLE `spot_check_considered` (
	`rating_id` integer PRIMARY KEY NOT NULL,
	`draw_id` integer NOT NULL,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`draw_id`) REFERENCES `spot_check_draws`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `ratings` ADD `held` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `ratings` ADD `hold_group_id` integer REFERENCES rating_hold_groups(id);--> statement-breakpoint
CREATE INDEX `ratings_held_idx` ON `ratings` (`department_id`,`id`,`created_at`,`code_id`,`hold_group_id`,`net_hash`,`client_hash`) WHERE held = 1;--> statement-breakpoint
CREATE INDEX `ratings_hold_group_idx` ON `ratings` (`hold_group_id`) WHERE hold_group_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `secret_enc` text;--> statement-breakpoint
ALTER TABLE `cumulative_code_stats` ADD `held` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_code_stats` ADD `held` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_department_stats` ADD `held` integer DEFAULT 0 NOT NULL;