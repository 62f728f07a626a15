-- Every text column compares byte by byte (COLLATE "C"), as SQLite's BINARY does, whatever the database's
-- default collation (issue 18). A database created with a locale (zh_CN.UTF-8, an ICU zh-Hans-CN, en_US…),
-- as a government cloud's DBA is likely to make it, otherwise ordered the lists' texts (a code list's
-- locations, tag names) in that locale's order, not in the order SQLite and the API docs give, and paid a
-- locale comparison at every step of every index seek on a text key (the days of the running totals, code
-- ids): 1.3–1.7× the time of the same statements on a province's copy (bench/README.md). Only the
-- collation changes: no table is rewritten, the indexes on these columns are rebuilt (19 s for a copy of
-- 3 M ratings and 1 M 办件 on the bench machine).
ALTER TABLE "audit_log" ALTER COLUMN "action" SET DATA TYPE text COLLATE "C", ALTER COLUMN "target_type" SET DATA TYPE text COLLATE "C", ALTER COLUMN "target_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "detail" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "cache_versions" ALTER COLUMN "name" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "case_departments" ALTER COLUMN "part_note" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "case_events" ALTER COLUMN "type" SET DATA TYPE text COLLATE "C", ALTER COLUMN "from_status" SET DATA TYPE text COLLATE "C", ALTER COLUMN "to_status" SET DATA TYPE text COLLATE "C", ALTER COLUMN "note" SET DATA TYPE text COLLATE "C", ALTER COLUMN "data" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "case_sequences" ALTER COLUMN "prefix" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "case_status_counts" ALTER COLUMN "kind" SET DATA TYPE text COLLATE "C", ALTER COLUMN "status" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "case_no" SET DATA TYPE text COLLATE "C", ALTER COLUMN "kind" SET DATA TYPE text COLLATE "C", ALTER COLUMN "status" SET DATA TYPE text COLLATE "C", ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "rating_day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "classification" SET DATA TYPE text COLLATE "C", ALTER COLUMN "satisfaction" SET DATA TYPE text COLLATE "C", ALTER COLUMN "contact_due_date" SET DATA TYPE text COLLATE "C", ALTER COLUMN "due_date" SET DATA TYPE text COLLATE "C", ALTER COLUMN "status_token" SET DATA TYPE text COLLATE "C", ALTER COLUMN "subject" SET DATA TYPE text COLLATE "C", ALTER COLUMN "description" SET DATA TYPE text COLLATE "C", ALTER COLUMN "phone_enc" SET DATA TYPE text COLLATE "C", ALTER COLUMN "handling" SET DATA TYPE text COLLATE "C", ALTER COLUMN "channel" SET DATA TYPE text COLLATE "C", ALTER COLUMN "order_no" SET DATA TYPE text COLLATE "C", ALTER COLUMN "observed_day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "project_no" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "codes" ALTER COLUMN "id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "location" SET DATA TYPE text COLLATE "C", ALTER COLUMN "staff_name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "service_items" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "cumulative_code_stats" ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "last_submission_day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "last_open_day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "cumulative_department_case_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "cumulative_department_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "cumulative_org_unit_case_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "cumulative_org_unit_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_case_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_code_stats" ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_code_stored_stats" ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_department_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_matter_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "task_code" SET DATA TYPE text COLLATE "C", ALTER COLUMN "staff_name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "task_name" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_org_unit_case_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_org_unit_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_org_unit_tag_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "tag" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "daily_tag_stats" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "tag" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "departments" ALTER COLUMN "name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "credit_code" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "guide_codes" ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "guide_versions" ALTER COLUMN "content" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "guides" ALTER COLUMN "task_code" SET DATA TYPE text COLLATE "C", ALTER COLUMN "task_name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "materials" SET DATA TYPE text COLLATE "C", ALTER COLUMN "steps" SET DATA TYPE text COLLATE "C", ALTER COLUMN "fees" SET DATA TYPE text COLLATE "C", ALTER COLUMN "legal_basis" SET DATA TYPE text COLLATE "C", ALTER COLUMN "location" SET DATA TYPE text COLLATE "C", ALTER COLUMN "hours" SET DATA TYPE text COLLATE "C", ALTER COLUMN "phone" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "holiday_tables" ALTER COLUMN "holidays" SET DATA TYPE text COLLATE "C", ALTER COLUMN "workdays" SET DATA TYPE text COLLATE "C", ALTER COLUMN "source" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "integrations" ALTER COLUMN "name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "key_hash" SET DATA TYPE text COLLATE "C", ALTER COLUMN "key_prefix" SET DATA TYPE text COLLATE "C", ALTER COLUMN "last_error" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "job_runs" ALTER COLUMN "name" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "kiosks" ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "token_hash" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "login_failures" ALTER COLUMN "key" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "matters" ALTER COLUMN "project_no" SET DATA TYPE text COLLATE "C", ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "task_code" SET DATA TYPE text COLLATE "C", ALTER COLUMN "task_name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "staff_name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "applicant_type" SET DATA TYPE text COLLATE "C", ALTER COLUMN "applicant_phone_enc" SET DATA TYPE text COLLATE "C", ALTER COLUMN "status" SET DATA TYPE text COLLATE "C", ALTER COLUMN "source" SET DATA TYPE text COLLATE "C", ALTER COLUMN "finished_day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "promised_date" SET DATA TYPE text COLLATE "C", ALTER COLUMN "link_token" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "notification_deliveries" ALTER COLUMN "event" SET DATA TYPE text COLLATE "C", ALTER COLUMN "payload" SET DATA TYPE text COLLATE "C", ALTER COLUMN "status" SET DATA TYPE text COLLATE "C", ALTER COLUMN "last_error" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "org_units" ALTER COLUMN "kind" SET DATA TYPE text COLLATE "C", ALTER COLUMN "name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "area_code" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "rate_limit_hits" ALTER COLUMN "key" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "rating_decisions" ALTER COLUMN "kind" SET DATA TYPE text COLLATE "C", ALTER COLUMN "reason" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "rating_hold_groups" ALTER COLUMN "rule" SET DATA TYPE text COLLATE "C", ALTER COLUMN "subject_kind" SET DATA TYPE text COLLATE "C", ALTER COLUMN "subject_hash" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "ratings" ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "tags" SET DATA TYPE text COLLATE "C", ALTER COLUMN "comment" SET DATA TYPE text COLLATE "C", ALTER COLUMN "phone_enc" SET DATA TYPE text COLLATE "C", ALTER COLUMN "client_hash" SET DATA TYPE text COLLATE "C", ALTER COLUMN "net_hash" SET DATA TYPE text COLLATE "C", ALTER COLUMN "idempotency_key" SET DATA TYPE text COLLATE "C", ALTER COLUMN "channel" SET DATA TYPE text COLLATE "C", ALTER COLUMN "day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "flag_reason" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "report_batches" ALTER COLUMN "day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "answer" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "report_outbox" ALTER COLUMN "kind" SET DATA TYPE text COLLATE "C", ALTER COLUMN "day" SET DATA TYPE text COLLATE "C", ALTER COLUMN "state" SET DATA TYPE text COLLATE "C", ALTER COLUMN "reason" SET DATA TYPE text COLLATE "C", ALTER COLUMN "body" SET DATA TYPE text COLLATE "C", ALTER COLUMN "last_answer" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "revoked_tokens" ALTER COLUMN "jti" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "settings" ALTER COLUMN "key" SET DATA TYPE text COLLATE "C", ALTER COLUMN "value" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "spot_check_draws" ALTER COLUMN "month" SET DATA TYPE text COLLATE "C", ALTER COLUMN "seed" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "suggestions" ALTER COLUMN "code_id" SET DATA TYPE text COLLATE "C", ALTER COLUMN "category" SET DATA TYPE text COLLATE "C", ALTER COLUMN "title" SET DATA TYPE text COLLATE "C", ALTER COLUMN "content" SET DATA TYPE text COLLATE "C", ALTER COLUMN "submitter_type" SET DATA TYPE text COLLATE "C", ALTER COLUMN "contact_enc" SET DATA TYPE text COLLATE "C", ALTER COLUMN "decision" SET DATA TYPE text COLLATE "C", ALTER COLUMN "reason" SET DATA TYPE text COLLATE "C", ALTER COLUMN "action" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "username" SET DATA TYPE text COLLATE "C", ALTER COLUMN "display_name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "password_hash" SET DATA TYPE text COLLATE "C", ALTER COLUMN "role" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "webhooks" ALTER COLUMN "name" SET DATA TYPE text COLLATE "C", ALTER COLUMN "kind" SET DATA TYPE text COLLATE "C", ALTER COLUMN "url" SET DATA TYPE text COLLATE "C", ALTER COLUMN "events" SET DATA TYPE text COLLATE "C", ALTER COLUMN "secret_enc" SET DATA TYPE text COLLATE "C";
