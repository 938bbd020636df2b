PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_packs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`metadata` text NOT NULL,
	`supported_instruments` text NOT NULL,
	`default_instrument` text NOT NULL,
	`tags` text NOT NULL,
	`author` text NOT NULL,
	`spec` text NOT NULL,
	`content_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "packs_default_instrument" CHECK(default_instrument IN ('stock', 'future', 'fx', 'crypto', 'option'))
);
--> statement-breakpoint
INSERT INTO `__new_packs`("id", "org_id", "name", "version", "metadata", "supported_instruments", "default_instrument", "tags", "author", "spec", "content_hash", "created_at") SELECT "id", "org_id", "name", "version", "metadata", "supported_instruments", "default_instrument", "tags", "author", "spec", "content_hash", "created_at" FROM `packs`;--> statement-breakpoint
DROP TABLE `packs`;--> statement-breakpoint
ALTER TABLE `__new_packs` RENAME TO `packs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `packs_org` ON `packs` (`org_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `packs_org_name_version` ON `packs` (`org_id`,`name`,`version`);