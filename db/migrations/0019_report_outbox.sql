CREATE TABLE `report_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`day` text NOT NULL,
	`records` integer NOT NULL,
	`acked` integer NOT NULL,
	`status` integer,
	`answer` text,
	`ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `report_batches_at_idx` ON `report_batches` (`at`);--> statement-breakpoint
CREATE TABLE `report_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`rating_id` integer NOT NULL,
	`case_id` integer,
	`day` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`body` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`first_failed_at` integer,
	`last_attempt_at` integer,
	`last_answer` text,
	`created_at` integer NOT NULL,
	`acked_at` integer,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_outbox_due_idx` ON `report_outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `report_outbox_day_idx` ON `report_outbox` (`kind`,`day`,`state`);--> statement-breakpoint
CREATE INDEX `report_outbox_rating_idx` ON `report_outbox` (`rating_id`);