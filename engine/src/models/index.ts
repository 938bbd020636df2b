// Public API of the models context (docs/models.md).
export { ModelConfigSchema, ModelPackRefSchema, MODEL_NAME_RE, POLICY_SECTIONS, type ModelConfig, type ModelConfigInput, type PolicySection } from './schema.js';
export { parseModelYaml, modelConfig, modelToYaml, modelConfigHash, normalizeModel, type ModelIssue, type ParseModelOptions } from './load.js';
export { resolveModel, pinModel, packContentHash, modelOverrides, parseSet, applySets, type ResolvedModel } from './resolve.js';
export { parseSweepPlanYaml, sweepPlan, sweepSpecFor, toParamSpec, SweepPlanSchema, type SweepPlan } from './sweep-plan.js';
