CREATE TABLE `message_links` (
	`message_id` integer NOT NULL,
	`request_id` integer NOT NULL,
	`collection` text NOT NULL,
	`article_id` text NOT NULL,
	PRIMARY KEY(`message_id`, `collection`, `article_id`),
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `message_links_request_idx` ON `message_links` (`request_id`);--> statement-breakpoint
CREATE TABLE `satisfaction` (
	`request_id` integer PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`clarity` integer,
	`comment` text,
	`locale` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "satisfaction_level_chk" CHECK("satisfaction"."level" in ('good', 'average', 'bad')),
	CONSTRAINT "satisfaction_clarity_chk" CHECK("satisfaction"."clarity" is null or "satisfaction"."clarity" between 1 and 5),
	CONSTRAINT "satisfaction_comment_chk" CHECK("satisfaction"."comment" is null or length("satisfaction"."comment") between 1 and 1000)
);
--> statement-breakpoint
CREATE INDEX `satisfaction_created_idx` ON `satisfaction` (`created_at`);--> statement-breakpoint
CREATE TABLE `search_misses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`query` text NOT NULL,
	`normalized` text NOT NULL,
	`locale` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "search_misses_query_chk" CHECK(length("search_misses"."query") between 1 and 100),
	CONSTRAINT "search_misses_locale_chk" CHECK("search_misses"."locale" in ('fr', 'en'))
);
--> statement-breakpoint
CREATE INDEX `search_misses_created_idx` ON `search_misses` (`created_at`);--> statement-breakpoint
CREATE TABLE `survey_answers` (
	`response_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`response_id`, `question_id`),
	FOREIGN KEY (`response_id`) REFERENCES `survey_responses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `survey_questions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "survey_answers_value_chk" CHECK(length("survey_answers"."value") between 1 and 2000)
);
--> statement-breakpoint
CREATE INDEX `survey_answers_question_idx` ON `survey_answers` (`question_id`);--> statement-breakpoint
CREATE TABLE `survey_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`survey_id` integer NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`choices` text NOT NULL,
	`required` integer NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "survey_questions_kind_chk" CHECK("survey_questions"."kind" in ('scale', 'yes-no', 'choice', 'text')),
	CONSTRAINT "survey_questions_label_chk" CHECK(length("survey_questions"."label") between 1 and 300)
);
--> statement-breakpoint
CREATE INDEX `survey_questions_survey_idx` ON `survey_questions` (`survey_id`,`position`);--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`survey_id` integer NOT NULL,
	`day` text NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `survey_responses_survey_idx` ON `survey_responses` (`survey_id`);--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`intro` text DEFAULT '' NOT NULL,
	`audience` text NOT NULL,
	`audience_detail` text DEFAULT '' NOT NULL,
	`locale` text NOT NULL,
	`status` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`published_at` integer,
	`closed_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "surveys_status_chk" CHECK("surveys"."status" in ('draft', 'published', 'closed')),
	CONSTRAINT "surveys_audience_chk" CHECK("surveys"."audience" in ('agents', 'residents', 'partners', 'other')),
	CONSTRAINT "surveys_title_chk" CHECK(length("surveys"."title") between 1 and 120)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `surveys_slug_unique` ON `surveys` (`slug`);--> statement-breakpoint
ALTER TABLE `requests` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `requester_kind` text DEFAULT 'resident' NOT NULL CONSTRAINT "requests_requester_kind_chk" CHECK("requester_kind" in ('resident', 'helper', 'staff'));--> statement-breakpoint
ALTER TABLE `requests` ADD `procedure_key` text GENERATED ALWAYS AS (lower(trim(procedure))) VIRTUAL;--> statement-breakpoint
-- Hand-edited: drizzle-kit proposed rebuilding `requests` (and so deleting, by cascade, every
-- message, file and token); adding the columns keeps everything in place.
UPDATE `requests` SET `requester_kind` = (SELECT `kind` FROM `requesters` WHERE `requesters`.`id` = `requests`.`requester_id`);--> statement-breakpoint
-- Requests resolved or closed before this migration: when they became so after their last reopening.
UPDATE `requests` SET `resolved_at` = (
	SELECT min(`h`.`created_at`) FROM `status_history` `h`
	WHERE `h`.`request_id` = `requests`.`id` AND `h`.`to_status` IN ('resolved', 'closed')
		AND `h`.`created_at` >= coalesce((SELECT max(`o`.`created_at`) FROM `status_history` `o` WHERE `o`.`request_id` = `requests`.`id` AND `o`.`to_status` IN ('new', 'open', 'waiting')), 0)
) WHERE `status` IN ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX `requests_report_idx` ON `requests` (`created_at`,`merged_into_id`,`category`,`procedure_key`,`resolved_at`);--> statement-breakpoint
CREATE INDEX `requests_groups_idx` ON `requests` (`category`,`channel`,`requester_kind`,`procedure_key`,`created_at`,`merged_into_id`,`resolved_at`);--> statement-breakpoint
CREATE INDEX `article_feedback_report_idx` ON `article_feedback` (`created_at`,`collection`,`article_id`,`locale`,`helpful`);--> statement-breakpoint
CREATE INDEX `article_feedback_comments_idx` ON `article_feedback` (`created_at`,`collection`,`article_id`,`locale`) WHERE "article_feedback"."comment" is not null;--> statement-breakpoint
CREATE INDEX `requests_first_response_idx` ON `requests` (`first_response_at`,`merged_into_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `requests_resolved_idx` ON `requests` (`resolved_at`,`merged_into_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `requests_due_idx` ON `requests` (`due_at`,`merged_into_id`,`first_response_at`,`resolved_at`);--> statement-breakpoint
CREATE INDEX `requests_resolution_due_idx` ON `requests` (`resolution_due_at`,`merged_into_id`,`resolved_at`);--> statement-breakpoint
-- Help pages linked in agents' earlier replies: the first link of each kind in each reply.
WITH `x`(`collection`, `lang`, `prefix`) AS (VALUES ('faq', 'fr', '/faq/'), ('faq', 'en', '/en/faq/'), ('tutorials', 'fr', '/tutoriels/'), ('tutorials', 'en', '/en/tutorials/')),
`found` AS (
	SELECT `m`.`id` AS `message_id`, `m`.`request_id`, `x`.`collection`, `x`.`lang`, `x`.`prefix`, substr(`m`.`body`, instr(`m`.`body`, `x`.`prefix`) + length(`x`.`prefix`)) AS `rest`, substr(`m`.`body`, instr(`m`.`body`, `x`.`prefix`) - 3, 3) AS `before`
	FROM `messages` `m`, `x`
	WHERE `m`.`author` = 'agent' AND `m`.`internal` = 0 AND instr(`m`.`body`, `x`.`prefix`) > 0
),
`slugs` AS (SELECT `message_id`, `request_id`, `collection`, `lang`, substr(`rest`, 1, instr(`rest`, '/') - 1) AS `slug` FROM `found` WHERE `lang` = 'en' OR `before` <> '/en')
INSERT OR IGNORE INTO `message_links` (`message_id`, `request_id`, `collection`, `article_id`)
SELECT `message_id`, `request_id`, `collection`, `lang` || '/' || `slug` FROM `slugs` WHERE length(`slug`) BETWEEN 1 AND 150 AND `slug` NOT GLOB '*[^a-z0-9-]*';
