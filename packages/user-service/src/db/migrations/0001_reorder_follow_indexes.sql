DROP INDEX "users"."follows_following_page";--> statement-breakpoint
DROP INDEX "users"."follows_followers_page";--> statement-breakpoint
CREATE INDEX "follows_following_page" ON "users"."follows" USING btree ("follower_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "follows_followers_page" ON "users"."follows" USING btree ("followee_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);