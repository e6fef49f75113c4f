CREATE TABLE `inbound_mails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_key` text NOT NULL,
	`from_address` text,
	`outcome` text NOT NULL,
	`reason` text,
	`request_id` integer,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "inbound_mails_outcome_chk" CHECK("inbound_mails"."outcome" in ('request', 'reply', 'ignored'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_mails_key_idx` ON `inbound_mails` (`message_key`);--> statement-breakpoint
CREATE INDEX `inbound_mails_request_idx` ON `inbound_mails` (`request_id`);--> statement-breakpoint
CREATE INDEX `inbound_mails_from_idx` ON `inbound_mails` (`from_address`,`received_at`);--> statement-breakpoint
CREATE TABLE `mail_intake` (
	`id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`host` text NOT NULL,
	`port` integer NOT NULL,
	`security` text NOT NULL,
	`username` text NOT NULL,
	`password` text NOT NULL,
	`folder` text DEFAULT 'INBOX' NOT NULL,
	`address` text NOT NULL,
	`uid_validity` text,
	`last_uid` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`last_check_at` integer,
	`last_success_at` integer,
	`last_error` text,
	`failures` integer DEFAULT 0 NOT NULL,
	`failing_uid` integer,
	`next_check_at` integer,
	`updated_at` integer NOT NULL,
	CONSTRAINT "mail_intake_single_chk" CHECK("mail_intake"."id" = 1),
	CONSTRAINT "mail_intake_security_chk" CHECK("mail_intake"."security" in ('tls', 'starttls', 'none'))
);
--> statement-breakpoint
CREATE TABLE `mail_threads` (
	`message_id` text PRIMARY KEY NOT NULL,
	`request_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mail_threads_request_idx` ON `mail_threads` (`request_id`);--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `message_id` text;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `reply_to` text;