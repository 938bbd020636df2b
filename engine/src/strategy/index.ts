// Public API of the strategy expression language (docs/expressions.md).
export {
  compileCondition,
  compileStrategy,
  CompiledCondition,
  CompiledStrategy,
  ENGINE_INDICATORS,
  type StrategyRules,
  type Signals,
} from './expression.js';
export { parseExpression } from './parser.js';
export { IndicatorMemo } from './evaluate.js';
export { BUILTIN_FUNCTIONS } from './compile.js';
export type { Ast, BinaryOp } from './ast.js';
export type { CompileContext, EvalInputs, IndicatorLookup, IndicatorRequirement, IndicatorSource } from './types.js';
