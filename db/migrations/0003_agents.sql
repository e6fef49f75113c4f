CREATE TABLE `agent_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_sessions_agent_idx` ON `agent_sessions` (`agent_id`);--> statement-breakpoint
CREATE INDEX `agent_sessions_expires_idx` ON `agent_sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `agent_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`agent_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "agent_tokens_purpose_chk" CHECK("agent_tokens"."purpose" in ('invite', 'reset'))
);
--> statement-breakpoint
CREATE INDEX `agent_tokens_agent_idx` ON `agent_tokens` (`agent_id`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`active` integer DEFAULT true NOT NULL,
	`locale` text DEFAULT 'fr' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "agents_role_chk" CHECK("agents"."role" in ('agent', 'admin')),
	CONSTRAINT "agents_email_chk" CHECK("agents"."email" = lower("agents"."email") and length("agents"."email") between 3 and 254),
	CONSTRAINT "agents_name_chk" CHECK(length("agents"."name") between 1 and 120)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_email_idx` ON `agents` (`email`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`agent_id` integer,
	`actor_name` text,
	`action` text NOT NULL,
	`request_id` integer,
	`details` text,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_request_idx` ON `audit_log` (`request_id`);--> statement-breakpoint
CREATE INDEX `audit_log_agent_idx` ON `audit_log` (`agent_id`,`at`);--> statement-breakpoint
CREATE TABLE `request_views` (
	`request_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`request_id`, `agent_id`),
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `saved_replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`locale` text NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "saved_replies_title_chk" CHECK(length("saved_replies"."title") between 1 and 120),
	CONSTRAINT "saved_replies_body_chk" CHECK(length("saved_replies"."body") between 1 and 5000)
);
--> statement-breakpoint
CREATE TABLE `workspace_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `messages` ADD `channel` text DEFAULT 'web' NOT NULL CONSTRAINT "messages_channel_chk" CHECK("channel" in ('web', 'phone', 'in-person'));--> statement-breakpoint
ALTER TABLE `requests` ADD `priority` text DEFAULT 'normal' NOT NULL CONSTRAINT "requests_priority_chk" CHECK("priority" in ('low', 'normal', 'high', 'urgent'));--> statement-breakpoint
ALTER TABLE `requests` ADD `assignee_id` integer REFERENCES `agents`(`id`) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `requests` ADD `first_response_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `resolution_due_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `merged_into_id` integer REFERENCES `requests`(`id`) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `requests` ADD `next_due_at` integer GENERATED ALWAYS AS (case when first_response_at is null then due_at else coalesce(resolution_due_at, due_at) end) VIRTUAL;--> statement-breakpoint
CREATE INDEX `requests_next_due_idx` ON `requests` (`status`,`next_due_at`);--> statement-breakpoint
CREATE INDEX `requests_assignee_idx` ON `requests` (`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `requests_updated_idx` ON `requests` (`updated_at`);--> statement-breakpoint
UPDATE `requests` SET `first_response_at` = (SELECT min(`created_at`) FROM `messages` m WHERE m.`request_id` = `requests`.`id` AND m.`author` = 'agent' AND m.`internal` = 0);--> statement-breakpoint
/* Full-text search for agents over requests, who sent them, and their messages (internal
   notes included: only agents search). Each row's rowid says what it is: request id × 4 for the
   request's text, + 1 for the requester, message id × 4 + 2 for a message, so that triggers
   find rows by rowid, never by scanning. Written by hand: drizzle-kit does not describe
   virtual tables. */
CREATE VIRTUAL TABLE `request_search` USING fts5(`request_id` UNINDEXED, `body`, tokenize = 'unicode61 remove_diacritics 2');--> statement-breakpoint
CREATE TRIGGER `request_search_request_ai` AFTER INSERT ON `requests` BEGIN
  INSERT INTO `request_search`(`rowid`, `request_id`, `body`) VALUES (new.`id` * 4, new.`id`, new.`reference` || ' ' || new.`procedure` || ' ' || coalesce(new.`stage`, '') || ' ' || new.`description`);
  INSERT INTO `request_search`(`rowid`, `request_id`, `body`) SELECT new.`id` * 4 + 1, new.`id`, `name` || ' ' || coalesce(`email`, '') || ' ' || coalesce(`phone`, '') FROM `requesters` WHERE `id` = new.`requester_id`;
END;--> statement-breakpoint
CREATE TRIGGER `request_search_request_ad` AFTER DELETE ON `requests` BEGIN
  DELETE FROM `request_search` WHERE `rowid` IN (old.`id` * 4, old.`id` * 4 + 1);
END;--> statement-breakpoint
CREATE TRIGGER `request_search_request_au` AFTER UPDATE OF `procedure`, `stage`, `description`, `requester_id` ON `requests` BEGIN
  DELETE FROM `request_search` WHERE `rowid` IN (old.`id` * 4, old.`id` * 4 + 1);
  INSERT INTO `request_search`(`rowid`, `request_id`, `body`) VALUES (new.`id` * 4, new.`id`, new.`reference` || ' ' || new.`procedure` || ' ' || coalesce(new.`stage`, '') || ' ' || new.`description`);
  INSERT INTO `request_search`(`rowid`, `request_id`, `body`) SELECT new.`id` * 4 + 1, new.`id`, `name` || ' ' || coalesce(`email`, '') || ' ' || coalesce(`phone`, '') FROM `requesters` WHERE `id` = new.`requester_id`;
END;--> statement-breakpoint
CREATE TRIGGER `request_search_requester_au` AFTER UPDATE OF `name`, `email`, `phone` ON `requesters` BEGIN
  DELETE FROM `request_search` WHERE `rowid` IN (SELECT `id` * 4 + 1 FROM `requests` WHERE `requester_id` = new.`id`);
  INSERT INTO `request_search`(`rowid`, `request_id`, `body`) SELECT `id` * 4 + 1, `id`, new.`name` || ' ' || coalesce(new.`email`, '') || ' ' || coalesce(new.`phone`, '') FROM `requests` WHERE `requester_id` = new.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `request_search_message_ai` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `request_search`(`rowid`, `request_id`, `body`) VALUES (new.`id` * 4 + 2, new.`request_id`, new.`body`);
END;--> statement-breakpoint
CREATE TRIGGER `request_search_message_ad` AFTER DELETE ON `messages` BEGIN
  DELETE FROM `request_search` WHERE `rowid` = old.`id` * 4 + 2;
END;--> statement-breakpoint
CREATE TRIGGER `request_search_message_au` AFTER UPDATE OF `body`, `request_id` ON `messages` BEGIN
  DELETE FROM `request_search` WHERE `rowid` = old.`id` * 4 + 2;
  INSERT INTO `request_search`(`rowid`, `request_id`, `body`) VALUES (new.`id` * 4 + 2, new.`request_id`, new.`body`);
END;--> statement-breakpoint
INSERT INTO `request_search`(`rowid`, `request_id`, `body`) SELECT `id` * 4, `id`, `reference` || ' ' || `procedure` || ' ' || coalesce(`stage`, '') || ' ' || `description` FROM `requests`;--> statement-breakpoint
INSERT INTO `request_search`(`rowid`, `request_id`, `body`) SELECT r.`id` * 4 + 1, r.`id`, p.`name` || ' ' || coalesce(p.`email`, '') || ' ' || coalesce(p.`phone`, '') FROM `requests` r JOIN `requesters` p ON p.`id` = r.`requester_id`;--> statement-breakpoint
INSERT INTO `request_search`(`rowid`, `request_id`, `body`) SELECT `id` * 4 + 2, `request_id`, `body` FROM `messages`;
