-- Keys created before the training scopes existed: a key that may read (write) runs may also read (write)
-- training jobs, trained models, artifacts and validations, as the built-in roles now say.
UPDATE `api_keys` SET `scopes` = json_insert(`scopes`, '$[#]', 'training:read')
WHERE EXISTS (SELECT 1 FROM json_each(`api_keys`.`scopes`) WHERE value = 'runs:read')
  AND NOT EXISTS (SELECT 1 FROM json_each(`api_keys`.`scopes`) WHERE value = 'training:read');
--> statement-breakpoint
UPDATE `api_keys` SET `scopes` = json_insert(`scopes`, '$[#]', 'training:write')
WHERE EXISTS (SELECT 1 FROM json_each(`api_keys`.`scopes`) WHERE value = 'runs:write')
  AND NOT EXISTS (SELECT 1 FROM json_each(`api_keys`.`scopes`) WHERE value = 'training:write');
