DROP INDEX `sweep_combinations_org_rank`;--> statement-breakpoint
CREATE INDEX `sweep_combinations_org_rank` ON `sweep_combinations` (`org_id`,`sweep_id`,`kept`,"sharpe" DESC,`combo_id`);