CREATE SCHEMA "comments";
--> statement-breakpoint
CREATE TABLE "comments"."inbox" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "comments"."outbox" (
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
CREATE TABLE "comments"."authors" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"username" text DEFAULT '' NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "comments"."comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"image_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"text" text NOT NULL,
	"hashtags" text[] DEFAULT '{}'::text[] NOT NULL,
	"mentions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "comments_text_length" CHECK (char_length("comments"."comments"."text") between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "comments"."known_images" (
	"image_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "comments"."outbox" USING btree ("seq") WHERE "comments"."outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "comments_image_order_idx" ON "comments"."comments" USING btree ("image_id","created_at","id");--> statement-breakpoint
CREATE INDEX "comments_author_idx" ON "comments"."comments" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "known_images_owner_idx" ON "comments"."known_images" USING btree ("owner_id");