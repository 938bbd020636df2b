export { createRng, Xoshiro128, splitmix64, type Rng, type Seed } from './rng.js';
