CREATE SCHEMA "images";
--> statement-breakpoint
CREATE TABLE "images"."inbox" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "images"."outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"topic" text NOT NULL,
	"type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "images"."blob_claims" (
	"image_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "images"."image_mentions" (
	"username" text NOT NULL,
	"image_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "image_mentions_username_image_id_pk" PRIMARY KEY("username","image_id")
);
--> statement-breakpoint
CREATE TABLE "images"."image_tags" (
	"tag" text NOT NULL,
	"image_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "image_tags_tag_image_id_pk" PRIMARY KEY("tag","image_id")
);
--> statement-breakpoint
CREATE TABLE "images"."images" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"caption" text DEFAULT '' NOT NULL,
	"hashtags" text[] DEFAULT '{}'::text[] NOT NULL,
	"mentions" text[] DEFAULT '{}'::text[] NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"likes_count" integer DEFAULT 0 NOT NULL,
	"comments_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "images_likes_count_check" CHECK ("images"."images"."likes_count" >= 0),
	CONSTRAINT "images_comments_count_check" CHECK ("images"."images"."comments_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "images"."likes" (
	"image_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "likes_image_id_user_id_pk" PRIMARY KEY("image_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "images"."owners" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "images"."image_mentions" ADD CONSTRAINT "image_mentions_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "images"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "images"."image_tags" ADD CONSTRAINT "image_tags_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "images"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "images"."likes" ADD CONSTRAINT "likes_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "images"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "images"."outbox" USING btree ("seq") WHERE "images"."outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "blob_claims_since_idx" ON "images"."blob_claims" USING btree ("since");--> statement-breakpoint
CREATE INDEX "image_mentions_username_created_idx" ON "images"."image_mentions" USING btree ("username","created_at" DESC NULLS LAST,"image_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "image_mentions_image_idx" ON "images"."image_mentions" USING btree ("image_id");--> statement-breakpoint
CREATE INDEX "image_tags_tag_created_idx" ON "images"."image_tags" USING btree ("tag","created_at" DESC NULLS LAST,"image_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "image_tags_image_idx" ON "images"."image_tags" USING btree ("image_id");--> statement-breakpoint
CREATE INDEX "images_owner_created_idx" ON "images"."images" USING btree ("owner_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "images_created_idx" ON "images"."images" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "likes_image_created_idx" ON "images"."likes" USING btree ("image_id","created_at" DESC NULLS LAST,"user_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "likes_user_idx" ON "images"."likes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "owners_username_idx" ON "images"."owners" USING btree ("username");