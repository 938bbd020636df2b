// Public API of @sigmatiq/engine. Each bounded context exports from its own index.ts.
export { SigmatiqError, isSigmatiqError } from './errors.js';
export { ENGINE_VERSION } from './version.js';
export { createRng, Xoshiro128, type Rng, type Seed } from './random/index.js';
