CREATE TABLE "login_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"failures" integer NOT NULL,
	"unlocks_at" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revoked_tokens" (
	"jti" text PRIMARY KEY NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "token_version" integer DEFAULT 0 NOT NULL;