CREATE TABLE `case_sequences` (
	`prefix` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
-- Existing databases continue their numbering where their cases left it.
INSERT INTO `case_sequences` (`prefix`, `last`)
SELECT substr(`case_no`, 1, instr(`case_no`, '-')), max(CAST(substr(`case_no`, instr(`case_no`, '-') + 1) AS INTEGER))
FROM `cases` GROUP BY 1;
