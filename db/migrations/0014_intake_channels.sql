CREATE TABLE `quick_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`category` text NOT NULL,
	`procedure` text,
	`note` text,
	`agent_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "quick_answers_channel_chk" CHECK("quick_answers"."channel" in ('phone', 'counter', 'letter', 'email', 'partner')),
	CONSTRAINT "quick_answers_category_chk" CHECK("quick_answers"."category" in ('sign-in', 'account', 'documents', 'payment', 'form-error', 'accessibility', 'no-device', 'other')),
	CONSTRAINT "quick_answers_procedure_chk" CHECK("quick_answers"."procedure" is null or length("quick_answers"."procedure") between 1 and 200),
	CONSTRAINT "quick_answers_note_chk" CHECK("quick_answers"."note" is null or length("quick_answers"."note") between 1 and 500)
);
--> statement-breakpoint
CREATE INDEX `quick_answers_created_idx` ON `quick_answers` (`created_at`,`channel`,`category`);--> statement-breakpoint
ALTER TABLE `requests` ADD `intake` text DEFAULT 'web' NOT NULL;--> statement-breakpoint
CREATE INDEX `requests_intake_idx` ON `requests` (`created_at`,`intake`,`merged_into_id`);--> statement-breakpoint
CREATE INDEX `requests_intake_response_idx` ON `requests` (`intake`,`first_response_at`,`merged_into_id`,`created_at`);