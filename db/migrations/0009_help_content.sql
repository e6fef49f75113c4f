CREATE TABLE `help_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer,
	`tags` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `help_entries`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `help_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`locale` text NOT NULL,
	`slug` text NOT NULL,
	`state` text NOT NULL,
	`head_revision_id` integer,
	`published_revision_id` integer,
	`exported_revision_id` integer,
	`translation_of` text,
	`published_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`head_revision_id`) REFERENCES `help_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`published_revision_id`) REFERENCES `help_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`exported_revision_id`) REFERENCES `help_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "help_entries_kind_chk" CHECK("help_entries"."kind" in ('faq', 'tutorial', 'topic', 'glossary', 'place')),
	CONSTRAINT "help_entries_state_chk" CHECK("help_entries"."state" in ('draft', 'review', 'published', 'withdrawn')),
	CONSTRAINT "help_entries_locale_chk" CHECK("help_entries"."locale" in ('fr', 'en')),
	CONSTRAINT "help_entries_slug_chk" CHECK(length("help_entries"."slug") between 1 and 150)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `help_entries_slug_idx` ON `help_entries` (`kind`,`locale`,`slug`);--> statement-breakpoint
CREATE INDEX `help_entries_state_idx` ON `help_entries` (`state`,`updated_at`);--> statement-breakpoint
CREATE TABLE `help_images` (
	`id` text PRIMARY KEY NOT NULL,
	`mime` text NOT NULL,
	`bytes` blob NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`uploaded_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`uploaded_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "help_images_mime_chk" CHECK("help_images"."mime" in ('image/webp', 'image/png'))
);
--> statement-breakpoint
CREATE TABLE `help_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`base_revision_id` integer,
	`source` text NOT NULL,
	`author_id` integer,
	`author_name` text,
	`note` text,
	`origin` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `help_entries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`base_revision_id`) REFERENCES `help_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "help_revisions_source_chk" CHECK(length("help_revisions"."source") between 1 and 200000),
	CONSTRAINT "help_revisions_note_chk" CHECK("help_revisions"."note" is null or length("help_revisions"."note") <= 500),
	CONSTRAINT "help_revisions_origin_chk" CHECK("help_revisions"."origin" in ('seed', 'import', 'editor', 'restore'))
);
--> statement-breakpoint
CREATE INDEX `help_revisions_entry_idx` ON `help_revisions` (`entry_id`,`id`);