// Public API of @sigmatiq/server.
export { createApp, type AppType } from './app.js';
export type { AppDeps } from './deps.js';
export { bootstrapDatabase } from './bootstrap.js';
export { openDatabase, type Database } from './db/client.js';
export { startSidecar, type RunningSidecar, type SidecarOptions } from './sidecar.js';
export { readSidecarFile, SIDECAR_FILE_NAME, type SidecarInfo } from './cli/sidecar-file.js';
export { defaultDataDir } from './cli/paths.js';
export { ADMIN_KEY_FILE } from './auth/bootstrap.js';
export { createClient, type ClientOptions, type SigmatiqClient } from './client.js';
export { discoverSidecar, type SidecarDiscovery } from './discover.js';
export { SCOPES, BUILTIN_ROLES, type Scope } from './auth/scopes.js';
export { ERROR_STATUS, type ErrorBody } from './http/errors.js';
export { SERVER_VERSION } from './version.js';
