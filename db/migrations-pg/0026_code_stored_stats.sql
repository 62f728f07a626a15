-- 评价可信度 per code and day (issue 18): the figures of the stored ratings, counted or not, that the
-- 可信度 view read from every rating of the period. An existing database gets it filled from its
-- ratings (npm run recount proves it).
CREATE TABLE "daily_code_stored_stats" (
	"code_id" text NOT NULL,
	"day" text NOT NULL,
	"department_id" bigint NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"citizen" integer DEFAULT 0 NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	"bound" integer DEFAULT 0 NOT NULL,
	"detailed" integer DEFAULT 0 NOT NULL,
	"bare_five" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_code_stored_stats_code_id_day_pk" PRIMARY KEY("code_id","day")
);
--> statement-breakpoint
INSERT INTO daily_code_stored_stats (code_id, day, department_id, ratings, citizen, flagged, bound, detailed, bare_five)
SELECT code_id, day, min(department_id), count(*),
  sum(CASE WHEN channel <> 'default' THEN 1 ELSE 0 END),
  sum(CASE WHEN flagged = 1 THEN 1 ELSE 0 END),
  sum(CASE WHEN matter_id IS NOT NULL THEN 1 ELSE 0 END),
  sum(CASE WHEN tags <> '[]' OR coalesce(comment, '') <> '' THEN 1 ELSE 0 END),
  sum(CASE WHEN channel <> 'default' AND score = 5 AND tags = '[]' AND coalesce(comment, '') = '' THEN 1 ELSE 0 END)
FROM ratings GROUP BY code_id, day;
