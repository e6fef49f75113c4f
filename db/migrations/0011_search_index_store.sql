CREATE TABLE `search_index_files` (
	`index_name` text NOT NULL,
	`path` text NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`index_name`, `path`),
	FOREIGN KEY (`index_name`) REFERENCES `search_indexes`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `search_indexes` (
	`name` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`ready_at` integer,
	CONSTRAINT "search_indexes_state_chk" CHECK("search_indexes"."state" in ('building', 'ready'))
);
