CREATE TABLE "auth"."login_failures" (
	"subject" text PRIMARY KEY NOT NULL,
	"attempts" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "login_failures_window_started_at_idx" ON "auth"."login_failures" USING btree ("window_started_at");