-- Edited by hand: drizzle-kit cannot name the old primary key (a column PRIMARY KEY: settings_pkey).
-- The existing rows become the platform rows (org_unit_id NULL) and get their ids from the new bigserial.
ALTER TABLE "settings" DROP CONSTRAINT "settings_pkey";--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "org_unit_id" bigint;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "settings_platform_key_uq" ON "settings" USING btree ("key") WHERE org_unit_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "settings_unit_key_uq" ON "settings" USING btree ("org_unit_id","key");