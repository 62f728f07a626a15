CREATE TABLE `suggestions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`department_id` integer NOT NULL,
	`code_id` text,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`content` text NOT NULL,
	`submitter_type` text NOT NULL,
	`contact_enc` text,
	`contact_erased_at` integer,
	`decision` text,
	`reason` text,
	`action` text,
	`answered_at` integer,
	`answered_by` integer,
	`answer_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestions_dept_created_idx` ON `suggestions` (`department_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `suggestions_answered_idx` ON `suggestions` (`answered_at`);