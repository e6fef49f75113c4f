CREATE TABLE `known_problem_requests` (
	`problem_id` integer NOT NULL,
	`request_id` integer NOT NULL,
	`linked_at` integer NOT NULL,
	`linked_by` integer,
	PRIMARY KEY(`problem_id`, `request_id`),
	FOREIGN KEY (`problem_id`) REFERENCES `known_problems`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`linked_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `known_problem_requests_request_idx` ON `known_problem_requests` (`request_id`);--> statement-breakpoint
CREATE TABLE `known_problem_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`problem_id` integer NOT NULL,
	`email` text,
	`phone` text,
	`locale` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`problem_id`) REFERENCES `known_problems`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "known_problem_subscriptions_contact_chk" CHECK(("known_problem_subscriptions"."email" is null) <> ("known_problem_subscriptions"."phone" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `known_problem_subscriptions_email_idx` ON `known_problem_subscriptions` (`problem_id`,`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `known_problem_subscriptions_phone_idx` ON `known_problem_subscriptions` (`problem_id`,`phone`);--> statement-breakpoint
CREATE TABLE `known_problems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`title_en` text,
	`procedure` text NOT NULL,
	`keywords` text DEFAULT '' NOT NULL,
	`topic` text,
	`meanwhile` text DEFAULT '' NOT NULL,
	`meanwhile_en` text,
	`expected_on` text,
	`status` text DEFAULT 'open' NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`created_by` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "known_problems_status_chk" CHECK("known_problems"."status" in ('open', 'closed')),
	CONSTRAINT "known_problems_title_chk" CHECK(length("known_problems"."title") between 1 and 150),
	CONSTRAINT "known_problems_procedure_chk" CHECK(length("known_problems"."procedure") between 1 and 200)
);
--> statement-breakpoint
CREATE INDEX `known_problems_status_idx` ON `known_problems` (`status`,`opened_at`);