ALTER TABLE `requests` ADD `anonymized_at` integer;--> statement-breakpoint
CREATE INDEX `requests_retention_idx` ON `requests` (`resolved_at`) WHERE "requests"."anonymized_at" is null;