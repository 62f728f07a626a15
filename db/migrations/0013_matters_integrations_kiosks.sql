CREATE TABLE `integrations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`org_unit_id` integer,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`rotated_at` integer,
	`revoked_at` integer,
	`last_call_at` integer,
	`calls` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_error_at` integer,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integrations_key_hash_unique` ON `integrations` (`key_hash`);--> statement-breakpoint
CREATE TABLE `kiosks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`last_seen_at` integer,
	FOREIGN KEY (`code_id`) REFERENCES `codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kiosks_token_hash_unique` ON `kiosks` (`token_hash`);--> statement-breakpoint
CREATE INDEX `kiosks_code_idx` ON `kiosks` (`code_id`);--> statement-breakpoint
CREATE TABLE `matters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_no` text NOT NULL,
	`code_id` text NOT NULL,
	`department_id` integer NOT NULL,
	`task_code` text NOT NULL,
	`task_name` text NOT NULL,
	`staff_name` text,
	`applicant_type` text,
	`applicant_phone_enc` text,
	`applicant_phone_erased_at` integer,
	`status` text NOT NULL,
	`source` text,
	`accepted_at` integer NOT NULL,
	`finished_at` integer,
	`finished_day` text,
	`promised_date` text,
	`integration_id` integer,
	`link_token` text,
	`link_expires_at` integer,
	`rating_count` integer DEFAULT 0 NOT NULL,
	`rated` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`code_id`) REFERENCES `codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `matters_project_no_unique` ON `matters` (`project_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `matters_link_token_unique` ON `matters` (`link_token`);--> statement-breakpoint
CREATE INDEX `matters_dept_finished_idx` ON `matters` (`department_id`,`finished_day`);--> statement-breakpoint
CREATE INDEX `matters_code_finished_idx` ON `matters` (`code_id`,`finished_at`);--> statement-breakpoint
CREATE INDEX `matters_status_finished_idx` ON `matters` (`status`,`rated`,`finished_at`);--> statement-breakpoint
CREATE TABLE `daily_matter_stats` (
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
);
--> statement-breakpoint
ALTER TABLE `ratings` ADD `matter_id` integer REFERENCES matters(id);--> statement-breakpoint
ALTER TABLE `ratings` ADD `assess_number` integer;--> statement-breakpoint
ALTER TABLE `ratings` ADD `superseded` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_matter_assess_uq` ON `ratings` (`matter_id`,`assess_number`);--> statement-breakpoint
ALTER TABLE `cumulative_code_stats` ADD `defaults` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cumulative_code_stats` ADD `default_good` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cumulative_code_stats` ADD `finished_matters` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cumulative_code_stats` ADD `rated_matters` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_code_stats` ADD `defaults` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_code_stats` ADD `default_good` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_code_stats` ADD `finished_matters` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_code_stats` ADD `rated_matters` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_department_stats` ADD `defaults` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_department_stats` ADD `default_good` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_department_stats` ADD `finished_matters` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_department_stats` ADD `rated_matters` integer DEFAULT 0 NOT NULL;