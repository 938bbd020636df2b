export {
  DEFAULT_GATES, DEFAULT_TOLERANCES, evaluateGates, resolveGates,
  type GateCheck, type GateCheckName, type GatedMetrics, type GatePolicyInput, type GateResult, type GateStatus,
  type GateThresholds, type GateTolerances, type ResolvedGates,
} from './gates.js';
