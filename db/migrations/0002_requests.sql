CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer,
	`message_id` integer,
	`draft_id` integer,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`data` blob NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`draft_id`) REFERENCES `request_drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "attachments_owner_chk" CHECK("attachments"."request_id" is not null or "attachments"."draft_id" is not null),
	CONSTRAINT "attachments_size_chk" CHECK("attachments"."size" between 1 and 10485760)
);
--> statement-breakpoint
CREATE INDEX `attachments_request_idx` ON `attachments` (`request_id`);--> statement-breakpoint
CREATE INDEX `attachments_draft_idx` ON `attachments` (`draft_id`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer,
	`kind` text NOT NULL,
	`locale` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "mail_outbox_status_chk" CHECK("mail_outbox"."status" in ('pending', 'sent'))
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_pending_idx` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `mail_outbox_request_idx` ON `mail_outbox` (`request_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`author` text NOT NULL,
	`author_name` text,
	`agent_id` integer,
	`internal` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "messages_author_chk" CHECK("messages"."author" in ('requester', 'agent', 'system')),
	CONSTRAINT "messages_internal_chk" CHECK("messages"."author" = 'agent' or "messages"."internal" = 0),
	CONSTRAINT "messages_body_chk" CHECK(length("messages"."body") <= 5000)
);
--> statement-breakpoint
CREATE INDEX `messages_request_idx` ON `messages` (`request_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `request_access_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `request_access_tokens_token_hash_unique` ON `request_access_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `request_access_tokens_request_idx` ON `request_access_tokens` (`request_id`);--> statement-breakpoint
CREATE TABLE `request_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`data` text NOT NULL,
	`request_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `request_drafts_token_hash_unique` ON `request_drafts` (`token_hash`);--> statement-breakpoint
CREATE INDEX `request_drafts_updated_idx` ON `request_drafts` (`updated_at`);--> statement-breakpoint
CREATE TABLE `requesters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`phone` text,
	`helper_name` text,
	`helper_organisation` text,
	`person_agreed` integer,
	`staff_service` text,
	`created_at` integer NOT NULL,
	CONSTRAINT "requesters_kind_chk" CHECK("requesters"."kind" in ('resident', 'helper', 'staff')),
	CONSTRAINT "requesters_helper_chk" CHECK("requesters"."kind" <> 'helper' or ("requesters"."helper_name" is not null and "requesters"."person_agreed" = 1)),
	CONSTRAINT "requesters_staff_chk" CHECK("requesters"."kind" <> 'staff' or "requesters"."staff_service" is not null)
);
--> statement-breakpoint
CREATE INDEX `requesters_email_idx` ON `requesters` (`email`);--> statement-breakpoint
CREATE TABLE `requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference` text NOT NULL,
	`requester_id` integer NOT NULL,
	`status` text NOT NULL,
	`locale` text NOT NULL,
	`procedure` text NOT NULL,
	`category` text NOT NULL,
	`stage` text,
	`description` text NOT NULL,
	`channel` text NOT NULL,
	`callback_slots` text,
	`help_place` text,
	`needs` text NOT NULL,
	`needs_language` text,
	`consent_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`requester_id`) REFERENCES `requesters`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "requests_status_chk" CHECK("requests"."status" in ('new', 'open', 'waiting', 'resolved', 'closed')),
	CONSTRAINT "requests_category_chk" CHECK("requests"."category" in ('sign-in', 'account', 'documents', 'payment', 'form-error', 'accessibility', 'no-device', 'other')),
	CONSTRAINT "requests_channel_chk" CHECK("requests"."channel" in ('email', 'phone', 'in-person')),
	CONSTRAINT "requests_locale_chk" CHECK("requests"."locale" in ('fr', 'en')),
	CONSTRAINT "requests_reference_chk" CHECK(length("requests"."reference") = 9),
	CONSTRAINT "requests_description_chk" CHECK(length("requests"."description") between 1 and 5000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requests_reference_unique` ON `requests` (`reference`);--> statement-breakpoint
CREATE INDEX `requests_status_idx` ON `requests` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `requests_created_idx` ON `requests` (`created_at`);--> statement-breakpoint
CREATE INDEX `requests_requester_idx` ON `requests` (`requester_id`);--> statement-breakpoint
CREATE TABLE `status_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "status_history_to_chk" CHECK("status_history"."to_status" in ('new', 'open', 'waiting', 'resolved', 'closed'))
);
--> statement-breakpoint
CREATE INDEX `status_history_request_idx` ON `status_history` (`request_id`,`created_at`);