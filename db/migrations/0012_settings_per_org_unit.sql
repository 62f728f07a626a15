PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_settings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_unit_id` integer,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Edited by hand: the old table has neither id nor org_unit_id; its rows become the platform rows (org_unit_id NULL).
INSERT INTO `__new_settings`("key", "value", "updated_at", "updated_by") SELECT "key", "value", "updated_at", "updated_by" FROM `settings`;--> statement-breakpoint
DROP TABLE `settings`;--> statement-breakpoint
ALTER TABLE `__new_settings` RENAME TO `settings`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `settings_platform_key_uq` ON `settings` (`key`) WHERE org_unit_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `settings_unit_key_uq` ON `settings` (`org_unit_id`,`key`);