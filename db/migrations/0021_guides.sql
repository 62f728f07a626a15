CREATE TABLE `guide_codes` (
	`guide_id` integer NOT NULL,
	`code_id` text NOT NULL,
	PRIMARY KEY(`guide_id`, `code_id`),
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `codes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `guide_codes_code_idx` ON `guide_codes` (`code_id`);--> statement-breakpoint
CREATE TABLE `guide_versions` (
	`guide_id` integer NOT NULL,
	`version` integer NOT NULL,
	`content` text NOT NULL,
	`edited_by` integer,
	`edited_at` integer NOT NULL,
	PRIMARY KEY(`guide_id`, `version`),
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`edited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `guides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`department_id` integer NOT NULL,
	`task_code` text,
	`task_name` text NOT NULL,
	`materials` text NOT NULL,
	`steps` text NOT NULL,
	`legal_days` integer,
	`promised_days` integer,
	`fees` text NOT NULL,
	`legal_basis` text NOT NULL,
	`location` text NOT NULL,
	`hours` text NOT NULL,
	`phone` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `guides_department_idx` ON `guides` (`department_id`);