-- How many 办件 each department has in each status (matter_status_counts): the 办件 list's total without a
-- period sums these rows instead of counting every 办件 of the scope. Its text column compares byte by byte,
-- as every other (0035). Filled from the 办件 stored so far; from here on every write of a 办件 keeps it.
CREATE TABLE "matter_status_counts" (
	"department_id" bigint NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "matter_status_counts_department_id_status_pk" PRIMARY KEY("department_id","status")
);
--> statement-breakpoint
INSERT INTO "matter_status_counts" ("department_id", "status", "count")
SELECT "department_id", "status", count(*) FROM "matters" GROUP BY "department_id", "status";
