/** The sidecar version, reported by /health, the OpenAPI document and sidecar.json. */
export const SERVER_VERSION = '0.1.0';
