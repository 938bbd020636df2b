/**
 * What the sidecar uses from the engine, imported from the engine's own modules rather than its index: the
 * index also loads DuckDB and every CLI command (~0.7 s), which would slow every sidecar start (on-demand
 * behind Jupyter, and the crash test's 25 restarts). Same modules, same class identity for SigmatiqError.
 */
export { SigmatiqError, isSigmatiqError } from '@sigmatiq/engine/dist/errors.js';
export { canonicalJson, configHash, sha256Hex } from '@sigmatiq/engine/dist/hash/index.js';
export { ENGINE_VERSION } from '@sigmatiq/engine/dist/version.js';
export { comboCap } from '@sigmatiq/engine/dist/sweep/caps.js';
export { evaluateGates, resolveGates, type GatePolicyInput, type GateResult, type ResolvedGates } from '@sigmatiq/engine/dist/sweep/gates/gates.js';
