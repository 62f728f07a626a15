ALTER TABLE `departments` ADD `credit_code` text;--> statement-breakpoint
ALTER TABLE `org_units` ADD `area_code` text;