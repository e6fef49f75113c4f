CREATE TABLE `article_feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collection` text NOT NULL,
	`article_id` text NOT NULL,
	`locale` text NOT NULL,
	`helpful` integer NOT NULL,
	`comment` text,
	`comment_token_hash` text,
	`created_at` integer NOT NULL,
	CONSTRAINT "article_feedback_collection_chk" CHECK("article_feedback"."collection" in ('faq', 'tutorials')),
	CONSTRAINT "article_feedback_locale_chk" CHECK("article_feedback"."locale" in ('fr', 'en')),
	CONSTRAINT "article_feedback_helpful_chk" CHECK("article_feedback"."helpful" in (0, 1)),
	CONSTRAINT "article_feedback_comment_chk" CHECK("article_feedback"."comment" is null or (length("article_feedback"."comment") between 1 and 1000))
);
--> statement-breakpoint
CREATE INDEX `article_feedback_article_idx` ON `article_feedback` (`collection`,`article_id`);--> statement-breakpoint
CREATE INDEX `article_feedback_created_idx` ON `article_feedback` (`created_at`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`bucket` text NOT NULL,
	`window_start` integer NOT NULL,
	`hits` integer NOT NULL,
	PRIMARY KEY(`bucket`, `window_start`)
);
--> statement-breakpoint
CREATE INDEX `rate_limits_window_idx` ON `rate_limits` (`window_start`);