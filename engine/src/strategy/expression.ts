import { SigmatiqError } from '../errors.js';
import { IndicatorCache } from '../indicators/cache.js';
import { getIndicator, listIndicators } from '../indicators/registry.js';
import { compileProgram, type CompiledProgram } from './compile.js';
import { exprError } from './errors.js';
import { Evaluator, IndicatorMemo, Scratch } from './evaluate.js';
import type { Node } from './ir.js';
import type { CompileContext, EvalInputs, IndicatorLookup, IndicatorRequirement, IndicatorSource } from './types.js';

/** The engine's registry (indicators and features). */
export const ENGINE_INDICATORS: IndicatorLookup = { get: getIndicator, list: () => listIndicators() };

function sourceOf(inputs: EvalInputs): IndicatorSource {
  const ind = inputs.indicators;
  return ind === undefined || ind instanceof IndicatorCache ? new IndicatorMemo() : ind;
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const v of Object.values(node)) {
    if (v !== null && typeof v === 'object' && 'k' in v && 'id' in v) walk(v as Node, visit);
    if (Array.isArray(v)) for (const x of v as unknown[]) if (x !== null && typeof x === 'object' && 'k' in x) walk(x as Node, visit);
  }
}

/**
 * A compiled condition (entry or exit rule). Compile once, evaluate many times with different
 * parameter values: evaluation reuses internal scratch buffers, so it allocates only its result.
 */
export class CompiledCondition {
  readonly source: string;
  /** Names of the declared parameters the expression uses, in order of first use. */
  readonly params: readonly string[];
  private readonly scratch = new Scratch();

  constructor(
    private readonly prog: CompiledProgram,
    private readonly defaults: Readonly<Record<string, number>>,
  ) {
    this.source = prog.source;
    this.params = prog.paramNames;
  }

  /** Indicator computations needed for these parameter values (deduplicated by key). */
  requirements(params: Readonly<Record<string, number>> = {}): IndicatorRequirement[] {
    const ev = new Evaluator(this.prog, { bars: EMPTY_BARS, params }, this.scratch, this.defaults, new IndicatorMemo());
    const out = new Map<string, IndicatorRequirement>();
    walk(this.prog.root, (n) => {
      if (n.k === 'ind') {
        const r = ev.requirement(n);
        if (!out.has(r.key)) out.set(r.key, r);
      }
    });
    return [...out.values()];
  }

  /**
   * Evaluate to a signal: 1 where the condition is definitely true, else 0 (false or unknown,
   * e.g. warm-up bars). Writes into `out` when given (length = bars), else a new array.
   */
  evaluate(inputs: EvalInputs, out?: Uint8Array, source?: IndicatorSource): Uint8Array {
    const n = inputs.bars.length;
    const result = out ?? new Uint8Array(n);
    if (result.length !== n) throw new SigmatiqError('EXPR_INPUT', `output has length ${result.length}, expected ${n}`, { expression: this.source });
    const ev = new Evaluator(this.prog, inputs, this.scratch, this.defaults, source ?? sourceOf(inputs));
    return ev.signal(this.prog.root, result);
  }
}

const EMPTY_BARS = {
  length: 0,
  ts: new Float64Array(0),
  open: new Float64Array(0),
  high: new Float64Array(0),
  low: new Float64Array(0),
  close: new Float64Array(0),
  volume: new Float64Array(0),
};

/**
 * Compile an entry/exit rule. Throws `EXPR_PARSE`, `EXPR_UNKNOWN_NAME`, `EXPR_TYPE` (with
 * `details.column`) or `EXPR_PARAM` (bad parameter declarations).
 */
export function compileCondition(source: string, ctx: CompileContext = {}): CompiledCondition {
  const prog = compileProgram(source, ctx, ctx.indicators ?? ENGINE_INDICATORS);
  if (prog.type !== 'bool') {
    throw exprError('EXPR_TYPE', 'a rule must be a condition (a comparison, cross_above(...), and/or/not), not a number', source, prog.root.pos, { expected: 'condition' });
  }
  return new CompiledCondition(prog, ctx.params ?? {});
}

export interface StrategyRules {
  readonly entry: string;
  readonly exit: string;
}

/** Entry and exit signals of one evaluation. */
export interface Signals {
  readonly entry: Uint8Array;
  readonly exit: Uint8Array;
}

/** Entry + exit rules compiled together: they share parameters and indicator computations. */
export class CompiledStrategy {
  readonly params: readonly string[];
  constructor(
    readonly entry: CompiledCondition,
    readonly exit: CompiledCondition,
  ) {
    this.params = [...new Set([...entry.params, ...exit.params])];
  }

  requirements(params: Readonly<Record<string, number>> = {}): IndicatorRequirement[] {
    const out = new Map<string, IndicatorRequirement>();
    for (const r of [...this.entry.requirements(params), ...this.exit.requirements(params)]) if (!out.has(r.key)) out.set(r.key, r);
    return [...out.values()];
  }

  /** Evaluate both rules (into `out` when given, to avoid allocation in sweeps). */
  evaluate(inputs: EvalInputs, out?: Signals): Signals {
    const source = sourceOf(inputs);
    return { entry: this.entry.evaluate(inputs, out?.entry, source), exit: this.exit.evaluate(inputs, out?.exit, source) };
  }
}

export function compileStrategy(rules: StrategyRules, ctx: CompileContext = {}): CompiledStrategy {
  return new CompiledStrategy(compileCondition(rules.entry, ctx), compileCondition(rules.exit, ctx));
}
