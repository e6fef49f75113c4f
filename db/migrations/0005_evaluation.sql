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
CREATE INDEX `requests_first_response_idx` ON `requests` (`first_response_at`);--> statement-breakpoint
CREATE INDEX `requests_resolved_idx` ON `requests` (`resolved_at`);--> statement-breakpoint
CREATE INDEX `requests_due_idx` ON `requests` (`due_at`);--> statement-breakpoint
CREATE INDEX `requests_resolution_due_idx` ON `requests` (`resolution_due_at`);--> statement-breakpoint
-- Requests resolved or closed before this migration: when they became so after their last reopening.
UPDATE `requests` SET `resolved_at` = (
	SELECT min(`h`.`created_at`) FROM `status_history` `h`
	WHERE `h`.`request_id` = `requests`.`id` AND `h`.`to_status` IN ('resolved', 'closed')
		AND `h`.`created_at` >= coalesce((SELECT max(`o`.`created_at`) FROM `status_history` `o` WHERE `o`.`request_id` = `requests`.`id` AND `o`.`to_status` IN ('new', 'open', 'waiting')), 0)
) WHERE `status` IN ('resolved', 'closed');
