PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`rating_id` integer,
	`department_id` integer NOT NULL,
	`code_id` text,
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
	`subject` text,
	`description` text,
	`phone_enc` text,
	`phone_erased_at` integer,
	`handling` text,
	`channel` text,
	`order_no` text,
	`entered_by` integer,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`officer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`draw_id`) REFERENCES `spot_check_draws`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Edited by hand: drizzle-kit copied the new columns too; the old table has none of them (they start NULL).
INSERT INTO `__new_cases`("id", "case_no", "kind", "status", "rating_id", "department_id", "code_id", "rating_day", "anonymous", "officer_id", "classification", "satisfaction", "genuine", "reopen_count", "contact_due_date", "due_date", "status_token", "draw_id", "visited_at", "rectified_at", "answered_at", "closed_at", "escalated_at", "created_at", "updated_at", "subject", "description", "phone_enc", "phone_erased_at", "handling") SELECT "id", "case_no", "kind", "status", "rating_id", "department_id", "code_id", "rating_day", "anonymous", "officer_id", "classification", "satisfaction", "genuine", "reopen_count", "contact_due_date", "due_date", "status_token", "draw_id", "visited_at", "rectified_at", "answered_at", "closed_at", "escalated_at", "created_at", "updated_at", "subject", "description", "phone_enc", "phone_erased_at", "handling" FROM `cases`;--> statement-breakpoint
DROP TABLE `cases`;--> statement-breakpoint
ALTER TABLE `__new_cases` RENAME TO `cases`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `cases_case_no_unique` ON `cases` (`case_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_status_token_unique` ON `cases` (`status_token`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_channel_order_idx` ON `cases` (`channel`,`order_no`);--> statement-breakpoint
CREATE INDEX `cases_dept_status_due_idx` ON `cases` (`department_id`,`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `cases_status_due_idx` ON `cases` (`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `cases_rating_idx` ON `cases` (`rating_id`);--> statement-breakpoint
CREATE INDEX `cases_closed_idx` ON `cases` (`closed_at`);--> statement-breakpoint
CREATE INDEX `cases_created_idx` ON `cases` (`created_at`);--> statement-breakpoint
CREATE INDEX `cases_dept_created_idx` ON `cases` (`department_id`,`created_at`);