import { SigmatiqError } from '../errors.js';
import { IndicatorCache } from '../indicators/cache.js';
import { getIndicator, listIndicators } from '../indicators/registry.js';
import { compileProgram, type CompiledProgram } from './compile.js';
import { exprError } from './errors.js';
import { Evaluator, IndicatorMemo, Scratch } from './evaluate.js';
import type { Node } from './ir.js';
import * as M from './masks.js';
import { MaskSignals, type SignalSource } from '../backtest/signals.js';
import { pairMasks, swapRule, type PairRule } from './pair.js';
import { CrossPairSignals, type SeriesSummaries } from './pair-signals.js';
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
    const result = this.output(inputs.bars.length, out);
    const ev = new Evaluator(this.prog, inputs, this.scratch, this.defaults, source ?? sourceOf(inputs));
    return ev.signal(this.prog.root, result);
  }

  /** The signal array to write: `out` (checked) or a new one. */
  output(n: number, out?: Uint8Array): Uint8Array {
    const result = out ?? new Uint8Array(n);
    if (result.length !== n) throw new SigmatiqError('EXPR_INPUT', `output has length ${result.length}, expected ${n}`, { expression: this.source });
    return result;
  }

  /** True when the rule is one cross_above / cross_below of two series. */
  get crossRoot(): boolean {
    return this.prog.root.k === 'cross';
  }

  /** True when the rule is one comparison or cross of two series (see `pairOperands`). */
  get pairable(): boolean {
    return this.prog.root.k === 'cmp' || this.prog.root.k === 'cross';
  }

  /**
   * When the rule is one comparison or cross of two series: the test and its evaluated operands
   * (what `evaluate` computes before the final mask), else undefined. Used by CompiledStrategy to
   * evaluate entry and exit over the same two series in one pass.
   */
  pairOperands(inputs: EvalInputs, source: IndicatorSource): { rule: PairRule; x: Float64Array; y: Float64Array } | undefined {
    const root = this.prog.root;
    if (root.k !== 'cmp' && root.k !== 'cross') return undefined;
    const ev = new Evaluator(this.prog, inputs, this.scratch, this.defaults, source);
    const rule: PairRule = root.k === 'cmp' ? { cross: false, op: root.op } : { cross: true, op: root.above ? '>' : '<' };
    return { rule, x: ev.series(root.a), y: ev.series(root.b) };
  }
}

/** One rule's signal from its evaluated operands: what Evaluator.signal does for a cmp/cross root. */
function ruleMask(p: { rule: PairRule; x: Float64Array; y: Float64Array }, out: Uint8Array): Uint8Array {
  if (p.rule.cross) M.crossMask(p.rule.op === '>', true, p.x, p.y, out);
  else M.cmpMask(p.rule.op, p.x, p.y, out);
  return out;
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

  /**
   * Evaluate both rules (into `out` when given, to avoid allocation in sweeps). When both rules
   * are one comparison or cross of the same two series (in either order), both signals come
   * from one pass over the series (pair.ts); the signals are the same either way.
   */
  evaluate(inputs: EvalInputs, out?: Signals): Signals {
    const source = sourceOf(inputs);
    if (!this.entry.pairable || !this.exit.pairable) return { entry: this.entry.evaluate(inputs, out?.entry, source), exit: this.exit.evaluate(inputs, out?.exit, source) };
    // The same order of checks and evaluations as one rule after the other.
    const n = inputs.bars.length;
    const entry = this.entry.output(n, out?.entry);
    const pe = this.entry.pairOperands(inputs, source);
    const exit = this.exit.output(n, out?.exit);
    const px = this.exit.pairOperands(inputs, source);
    if (pe === undefined || px === undefined) throw new Error('internal: pairable rule without operands');
    if (px.x === pe.x && px.y === pe.y) pairMasks(pe.rule, px.rule, pe.x, pe.y, entry, exit);
    else if (px.x === pe.y && px.y === pe.x) pairMasks(pe.rule, swapRule(px.rule), pe.x, pe.y, entry, exit);
    else {
      ruleMask(pe, entry);
      ruleMask(px, exit);
    }
    return { entry, exit };
  }

  /**
   * Both rules as a SignalSource for the metrics-only simulator. A cross_above / cross_below pair
   * over the same two series (in either order) is answered lazily from the series
   * (pair-signals.ts: no mask written; `summaries`, when given, lets it skip blocks of bars);
   * anything else is evaluated into masks (`out` when given).
   * The signals are the same as `evaluate`'s either way.
   */
  signals(inputs: EvalInputs, out?: Signals, summaries?: SeriesSummaries): SignalSource {
    if (this.entry.crossRoot && this.exit.crossRoot) {
      const source = sourceOf(inputs);
      const pe = this.entry.pairOperands(inputs, source);
      const px = this.exit.pairOperands(inputs, source);
      if (pe === undefined || px === undefined) throw new Error('internal: cross rule without operands');
      const above = (r: PairRule): boolean => r.op === '>';
      if (px.x === pe.x && px.y === pe.y) return new CrossPairSignals(pe.x, pe.y, above(pe.rule), above(px.rule), out, summaries);
      if (px.x === pe.y && px.y === pe.x) return new CrossPairSignals(pe.x, pe.y, above(pe.rule), above(swapRule(px.rule)), out, summaries);
    }
    const s = this.evaluate(inputs, out);
    return new MaskSignals(s.entry, s.exit);
  }
}

export function compileStrategy(rules: StrategyRules, ctx: CompileContext = {}): CompiledStrategy {
  return new CompiledStrategy(compileCondition(rules.entry, ctx), compileCondition(rules.exit, ctx));
}
