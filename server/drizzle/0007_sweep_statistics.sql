CREATE TABLE `sweep_statistics` (
	`sweep_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`trials` integer NOT NULL,
	`dsr` real,
	`pbo` real,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`sweep_id`) REFERENCES `sweeps`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sweep_statistics_ranges" CHECK("sweep_statistics"."trials" >= 1 AND ("sweep_statistics"."dsr" IS NULL OR ("sweep_statistics"."dsr" >= 0 AND "sweep_statistics"."dsr" <= 1)) AND ("sweep_statistics"."pbo" IS NULL OR ("sweep_statistics"."pbo" >= 0 AND "sweep_statistics"."pbo" <= 1)))
);
--> statement-breakpoint
CREATE INDEX `sweep_statistics_org` ON `sweep_statistics` (`org_id`,`sweep_id`);