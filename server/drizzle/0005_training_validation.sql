CREATE TABLE `artifacts` (
	`org_id` text NOT NULL,
	`hash` text NOT NULL,
	`media_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`content` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`org_id`, `hash`),
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `feature_importance` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`job_id` text NOT NULL,
	`feature` text NOT NULL,
	`gain` real NOT NULL,
	`permutation` real,
	`rank` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feature_importance_org` ON `feature_importance` (`org_id`,`job_id`,`rank`);--> statement-breakpoint
CREATE TABLE `trained_models` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`training_job_id` text NOT NULL,
	`model_id` text NOT NULL,
	`sweep_id` text NOT NULL,
	`combo_id` integer NOT NULL,
	`artifact_hash` text NOT NULL,
	`config_hash` text NOT NULL,
	`data_snapshot_id` text NOT NULL,
	`status` text NOT NULL,
	`metadata` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`training_job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sweep_id`) REFERENCES `sweeps`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`data_snapshot_id`) REFERENCES `data_snapshots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trained_models_org` ON `trained_models` (`org_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `trained_models_org_artifact` ON `trained_models` (`org_id`,`artifact_hash`);--> statement-breakpoint
CREATE TABLE `training_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`model_id` text NOT NULL,
	`model_version_id` text NOT NULL,
	`sweep_id` text NOT NULL,
	`combo_ids` text NOT NULL,
	`data_snapshot_id` text NOT NULL,
	`model_type` text NOT NULL,
	`status` text NOT NULL,
	`steps` text NOT NULL,
	`progress` real NOT NULL,
	`hyperparameters` text NOT NULL,
	`label` text,
	`seed` integer NOT NULL,
	`config_hash` text NOT NULL,
	`error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`started_at` text,
	`ended_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_version_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sweep_id`) REFERENCES `sweeps`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`data_snapshot_id`) REFERENCES `data_snapshots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `training_jobs_org` ON `training_jobs` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `training_jobs_org_status` ON `training_jobs` (`org_id`,`status`);--> statement-breakpoint
CREATE TABLE `training_metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`job_id` text NOT NULL,
	`split` text NOT NULL,
	`fold` integer,
	`accuracy` real NOT NULL,
	`precision` real NOT NULL,
	`recall` real NOT NULL,
	`f1` real NOT NULL,
	`auc_roc` real NOT NULL,
	`extra` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `training_metrics_org` ON `training_metrics` (`org_id`,`job_id`);--> statement-breakpoint
CREATE TABLE `validations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`run_hash` text NOT NULL,
	`trained_model_id` text,
	`sweep_id` text,
	`combo_id` integer,
	`payload` text NOT NULL,
	`permutation_pvalue` real,
	`bootstrap_sharpe_low` real,
	`bootstrap_sharpe_high` real,
	`bootstrap_cagr_low` real,
	`bootstrap_cagr_high` real,
	`bootstrap_method` text,
	`bootstrap_block_length` integer,
	`bootstrap_jitter` integer,
	`bootstrap_fallback` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trained_model_id`) REFERENCES `trained_models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sweep_id`) REFERENCES `sweeps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `validations_org` ON `validations` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `validations_org_model` ON `validations` (`org_id`,`trained_model_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `validations_org_run_hash` ON `validations` (`org_id`,`run_hash`);