CREATE INDEX `requests_category_idx` ON `requests` (`category`,`created_at`);--> statement-breakpoint
CREATE INDEX `requests_priority_idx` ON `requests` (`priority`,`created_at`);