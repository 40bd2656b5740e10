CREATE SCHEMA "users";
--> statement-breakpoint
CREATE TABLE "users"."inbox" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "users"."outbox" (
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
CREATE TABLE "users"."follows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"follower_id" uuid NOT NULL,
	"followee_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follows_pair_key" UNIQUE("follower_id","followee_id"),
	CONSTRAINT "follows_not_self" CHECK ("users"."follows"."follower_id" <> "users"."follows"."followee_id")
);
--> statement-breakpoint
CREATE TABLE "users"."owned_images" (
	"image_id" text PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users"."profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text COLLATE "C" NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"followers_count" bigint DEFAULT 0 NOT NULL,
	"following_count" bigint DEFAULT 0 NOT NULL,
	"images_count" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profiles_counts_not_negative" CHECK ("users"."profiles"."followers_count" >= 0 and "users"."profiles"."following_count" >= 0 and "users"."profiles"."images_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "users"."follows" ADD CONSTRAINT "follows_follower_id_profiles_id_fk" FOREIGN KEY ("follower_id") REFERENCES "users"."profiles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users"."follows" ADD CONSTRAINT "follows_followee_id_profiles_id_fk" FOREIGN KEY ("followee_id") REFERENCES "users"."profiles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "users"."outbox" USING btree ("seq") WHERE "users"."outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "follows_following_page" ON "users"."follows" USING btree ("follower_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "follows_followers_page" ON "users"."follows" USING btree ("followee_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "owned_images_owner" ON "users"."owned_images" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "profiles_username_key" ON "users"."profiles" USING btree (lower("username"));