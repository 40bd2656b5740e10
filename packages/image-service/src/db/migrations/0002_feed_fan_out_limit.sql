ALTER TABLE "images"."owners" ADD COLUMN "followers_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "images"."owners" ADD COLUMN "fan_out_stopped_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "owners_read_fan_out_idx" ON "images"."owners" USING btree ("user_id") WHERE "images"."owners"."fan_out_stopped_at" is not null;