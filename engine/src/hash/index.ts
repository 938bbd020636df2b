export { canonicalJson } from './canonical.js';
export { sha256Hex, configHash, Sha256Prefix } from './sha256.js';
export { dataHash, dataHashHeader, type DataHashOptions } from './data-hash.js';
