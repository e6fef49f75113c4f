CREATE TABLE `announcements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`locale` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "announcements_locale_chk" CHECK("announcements"."locale" in ('fr', 'en')),
	CONSTRAINT "announcements_title_chk" CHECK(length("announcements"."title") between 1 and 150),
	CONSTRAINT "announcements_body_chk" CHECK(length("announcements"."body") between 1 and 2000),
	CONSTRAINT "announcements_dates_chk" CHECK("announcements"."ends_on" is null or "announcements"."ends_on" >= "announcements"."starts_on")
);
--> statement-breakpoint
CREATE INDEX `announcements_locale_idx` ON `announcements` (`locale`,`starts_on`);