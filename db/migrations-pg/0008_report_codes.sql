ALTER TABLE "departments" ADD COLUMN "credit_code" text;--> statement-breakpoint
ALTER TABLE "org_units" ADD COLUMN "area_code" text;