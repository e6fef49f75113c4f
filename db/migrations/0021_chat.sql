CREATE TABLE `agent_presence` (
	`agent_id` integer PRIMARY KEY NOT NULL,
	`available` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`places` integer DEFAULT 3 NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "agent_presence_places_chk" CHECK("agent_presence"."places" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE `chat_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`kind` text NOT NULL,
	`message_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "chat_events_kind_chk" CHECK("chat_events"."kind" in ('message', 'state'))
);
--> statement-breakpoint
CREATE INDEX `chat_events_request_idx` ON `chat_events` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `chats` (
	`request_id` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`agent_id` integer,
	`started_at` integer NOT NULL,
	`accepted_at` integer,
	`ended_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "chats_state_chk" CHECK("chats"."state" in ('waiting', 'active', 'written'))
);
--> statement-breakpoint
CREATE INDEX `chats_state_idx` ON `chats` (`state`,`started_at`);--> statement-breakpoint
CREATE INDEX `chats_agent_idx` ON `chats` (`agent_id`,`state`);--> statement-breakpoint
CREATE TRIGGER `chat_events_message_ai` AFTER INSERT ON `messages` WHEN EXISTS (SELECT 1 FROM `chats` WHERE `request_id` = new.`request_id`) BEGIN
  INSERT INTO `chat_events` (`request_id`, `kind`, `message_id`, `at`) VALUES (new.`request_id`, 'message', new.`id`, new.`created_at`);
END;
