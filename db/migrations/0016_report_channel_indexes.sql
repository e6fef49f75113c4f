DROP INDEX `requests_intake_idx`;--> statement-breakpoint
CREATE INDEX `requests_intake_idx` ON `requests` (`intake`,`created_at`,`merged_into_id`);--> statement-breakpoint
CREATE INDEX `quick_answers_channel_idx` ON `quick_answers` (`channel`,`created_at`);