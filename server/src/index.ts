// Public API of @sigmatiq/server.
export { createApp, type AppType } from './app.js';
export type { AppDeps } from './deps.js';
export { openDatabase, type Database } from './db/client.js';
export { startSidecar, type RunningSidecar, type SidecarOptions } from './sidecar.js';
export { readSidecarFile, SIDECAR_FILE_NAME, type SidecarInfo } from './cli/sidecar-file.js';
export { SERVER_VERSION } from './version.js';
