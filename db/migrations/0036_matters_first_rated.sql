-- 评价可信度's 办结即评 (issue 18): when a citizen first rated each 办件 (not the default rating), and
-- a partial index of the 办件 rated within the hour after 办结, so that the signal reads those instead
-- of every 办件 of its period and their ratings (1.3 s for a county's month at 10 M 办件 a year).
-- Existing 办件 get the time from their ratings before the index is built.
ALTER TABLE `matters` ADD `first_rated_at` integer;--> statement-breakpoint
UPDATE `matters` SET `first_rated_at` = (SELECT min(r.`created_at`) FROM `ratings` r WHERE r.`matter_id` = `matters`.`id` AND r.`channel` <> 'default')
WHERE `rating_count` > 0;--> statement-breakpoint
CREATE INDEX `matters_quick_idx` ON `matters` (`department_id`,`finished_day`,`first_rated_at`,`finished_at`) WHERE first_rated_at <= finished_at + 3600000;
