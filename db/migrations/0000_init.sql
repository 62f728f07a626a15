CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`detail` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_target_idx` ON `audit_log` (`target_type`,`target_id`);--> statement-breakpoint
CREATE TABLE `case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`at` integer NOT NULL,
	`by_user_id` integer,
	`note` text,
	`data` text,
	`public` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_events_case_idx` ON `case_events` (`case_id`,`at`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`rating_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	`code_id` text NOT NULL,
	`rating_day` text NOT NULL,
	`anonymous` integer NOT NULL,
	`officer_id` integer,
	`classification` text,
	`satisfaction` text,
	`genuine` integer,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`contact_due_date` text NOT NULL,
	`due_date` text NOT NULL,
	`status_token` text NOT NULL,
	`draw_id` integer,
	`visited_at` integer,
	`rectified_at` integer,
	`answered_at` integer,
	`closed_at` integer,
	`escalated_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`officer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`draw_id`) REFERENCES `spot_check_draws`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_case_no_unique` ON `cases` (`case_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_status_token_unique` ON `cases` (`status_token`);--> statement-breakpoint
CREATE INDEX `cases_dept_status_idx` ON `cases` (`department_id`,`status`);--> statement-breakpoint
CREATE INDEX `cases_status_due_idx` ON `cases` (`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `cases_rating_idx` ON `cases` (`rating_id`);--> statement-breakpoint
CREATE INDEX `cases_closed_idx` ON `cases` (`closed_at`);--> statement-breakpoint
CREATE TABLE `codes` (
	`id` text PRIMARY KEY NOT NULL,
	`department_id` integer NOT NULL,
	`location` text NOT NULL,
	`staff_name` text,
	`service_items` text,
	`active` integer DEFAULT true NOT NULL,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `codes_department_idx` ON `codes` (`department_id`);--> statement-breakpoint
CREATE TABLE `daily_case_stats` (
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
);
--> statement-breakpoint
CREATE TABLE `daily_code_stats` (
	`code_id` text NOT NULL,
	`day` text NOT NULL,
	`department_id` integer NOT NULL,
	`s1` integer DEFAULT 0 NOT NULL,
	`s2` integer DEFAULT 0 NOT NULL,
	`s3` integer DEFAULT 0 NOT NULL,
	`s4` integer DEFAULT 0 NOT NULL,
	`s5` integer DEFAULT 0 NOT NULL,
	`real_name` integer DEFAULT 0 NOT NULL,
	`submissions` integer DEFAULT 0 NOT NULL,
	`opens` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`code_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `daily_code_stats_dept_day_idx` ON `daily_code_stats` (`department_id`,`day`);--> statement-breakpoint
CREATE INDEX `daily_code_stats_day_idx` ON `daily_code_stats` (`day`);--> statement-breakpoint
CREATE TABLE `daily_tag_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`tag` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`, `tag`)
);
--> statement-breakpoint
CREATE TABLE `departments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_unit_id` integer NOT NULL,
	`name` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `departments_org_name_uq` ON `departments` (`org_unit_id`,`name`);--> statement-breakpoint
CREATE TABLE `holiday_tables` (
	`year` integer PRIMARY KEY NOT NULL,
	`holidays` text NOT NULL,
	`workdays` text NOT NULL,
	`source` text,
	`loaded_by` integer,
	`loaded_at` integer NOT NULL,
	FOREIGN KEY (`loaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `hourly_department_stats` (
	`department_id` integer NOT NULL,
	`day` text NOT NULL,
	`hour` integer NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`bad` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_id`, `day`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `notification_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_id` integer NOT NULL,
	`event` text NOT NULL,
	`case_id` integer,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notification_deliveries_status_idx` ON `notification_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `org_units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`parent_id` integer,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rating_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rating_id` integer NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`case_id` integer,
	`decided_by` integer,
	`decided_at` integer NOT NULL,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rating_decisions_rating_idx` ON `rating_decisions` (`rating_id`);--> statement-breakpoint
CREATE TABLE `ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code_id` text NOT NULL,
	`department_id` integer NOT NULL,
	`score` integer NOT NULL,
	`tags` text NOT NULL,
	`comment` text,
	`phone_enc` text,
	`real_name` integer DEFAULT false NOT NULL,
	`phone_erased_at` integer,
	`client_hash` text,
	`net_hash` text,
	`idempotency_key` text,
	`channel` text DEFAULT 'qr' NOT NULL,
	`created_at` integer NOT NULL,
	`day` text NOT NULL,
	`flagged` integer DEFAULT false NOT NULL,
	`flag_reason` text,
	`excluded` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`code_id`) REFERENCES `codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_idempotency_uq` ON `ratings` (`code_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `ratings_client_idx` ON `ratings` (`client_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `ratings_net_idx` ON `ratings` (`net_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `ratings_dept_day_idx` ON `ratings` (`department_id`,`day`);--> statement-breakpoint
CREATE INDEX `ratings_code_day_idx` ON `ratings` (`code_id`,`day`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `spot_check_draws` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`month` text NOT NULL,
	`seed` text NOT NULL,
	`share` real NOT NULL,
	`org_unit_id` integer,
	`eligible_count` integer NOT NULL,
	`drawn_count` integer NOT NULL,
	`drawn_by` integer NOT NULL,
	`drawn_at` integer NOT NULL,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`drawn_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `user_departments` (
	`user_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	PRIMARY KEY(`user_id`, `department_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`org_unit_id` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`org_unit_id` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action
);
