CREATE TABLE "images"."feed_follows" (
	"follower_id" uuid NOT NULL,
	"followee_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "feed_follows_follower_id_followee_id_pk" PRIMARY KEY("follower_id","followee_id")
);
--> statement-breakpoint
CREATE TABLE "images"."timeline_entries" (
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"image_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	CONSTRAINT "timeline_entries_user_id_created_at_image_id_pk" PRIMARY KEY("user_id","created_at","image_id")
);
--> statement-breakpoint
DROP INDEX "images"."image_mentions_username_created_idx";--> statement-breakpoint
DROP INDEX "images"."image_tags_tag_created_idx";--> statement-breakpoint
DROP INDEX "images"."images_owner_created_idx";--> statement-breakpoint
DROP INDEX "images"."images_created_idx";--> statement-breakpoint
DROP INDEX "images"."likes_image_created_idx";--> statement-breakpoint
ALTER TABLE "images"."timeline_entries" ADD CONSTRAINT "timeline_entries_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "images"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feed_follows_followee_idx" ON "images"."feed_follows" USING btree ("followee_id");--> statement-breakpoint
CREATE INDEX "timeline_entries_image_idx" ON "images"."timeline_entries" USING btree ("image_id");--> statement-breakpoint
CREATE INDEX "image_mentions_username_created_idx" ON "images"."image_mentions" USING btree ("username","created_at","image_id");--> statement-breakpoint
CREATE INDEX "image_tags_tag_created_idx" ON "images"."image_tags" USING btree ("tag","created_at","image_id");--> statement-breakpoint
CREATE INDEX "images_owner_created_idx" ON "images"."images" USING btree ("owner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "images_created_idx" ON "images"."images" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "likes_image_created_idx" ON "images"."likes" USING btree ("image_id","created_at","user_id");