CREATE SCHEMA "greeter";
--> statement-breakpoint
CREATE TABLE "greeter"."greetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
INSERT INTO "greeter"."greetings" ("text") VALUES ('hello');
