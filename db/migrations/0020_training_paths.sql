CREATE TABLE `training_paths` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "training_paths_title_chk" CHECK(length("training_paths"."title") between 1 and 150)
);
--> statement-breakpoint
CREATE TABLE `training_progress` (
	`agent_id` integer NOT NULL,
	`path_id` integer NOT NULL,
	`entry_key` text NOT NULL,
	`done_at` integer NOT NULL,
	PRIMARY KEY(`agent_id`, `path_id`, `entry_key`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`path_id`) REFERENCES `training_paths`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `training_progress_path_idx` ON `training_progress` (`path_id`);--> statement-breakpoint
CREATE TABLE `training_steps` (
	`path_id` integer NOT NULL,
	`position` integer NOT NULL,
	`entry_key` text NOT NULL,
	PRIMARY KEY(`path_id`, `position`),
	FOREIGN KEY (`path_id`) REFERENCES `training_paths`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `training_steps_entry_idx` ON `training_steps` (`path_id`,`entry_key`);