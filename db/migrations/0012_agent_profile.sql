-- Columns added in place (not a rebuilt table: other tables point at agents); their checks are column checks.
ALTER TABLE `agents` ADD `public_name` text CONSTRAINT "agents_public_name_chk" CHECK("public_name" is null or length("public_name") between 1 and 60);--> statement-breakpoint
ALTER TABLE `agents` ADD `signature` text CONSTRAINT "agents_signature_chk" CHECK("signature" is null or length("signature") <= 500);--> statement-breakpoint
ALTER TABLE `agents` ADD `queue_density` text DEFAULT 'compact' NOT NULL CONSTRAINT "agents_queue_density_chk" CHECK("queue_density" in ('compact', 'comfortable'));--> statement-breakpoint
ALTER TABLE `messages` ADD `public_name` text;
