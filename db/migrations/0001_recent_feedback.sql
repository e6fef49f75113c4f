CREATE TABLE `recent_feedback` (
	`key` text PRIMARY KEY NOT NULL,
	`feedback_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`feedback_id`) REFERENCES `article_feedback`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recent_feedback_created_idx` ON `recent_feedback` (`created_at`);