export { canonicalJson } from './canonical.js';
export { sha256Hex, configHash } from './sha256.js';
export { dataHash, dataHashHeader, type DataHashOptions } from './data-hash.js';
