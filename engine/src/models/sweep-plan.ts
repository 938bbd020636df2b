/**
 * A sweep plan for a model: the space, sampler, gates and pruning of a `%%sweep` YAML body (or of
 * `%sweep run` flags), and `sweepSpecFor(model, plan)` giving the engine's SweepSpec.
 *
 * ```yaml
 * type: custom              # simple (<= 45 combos, default) | custom
 * sampler: tpe              # grid (default) | random | lhs | tpe
 * trials: 3000              # random / lhs / tpe
 * seed: 7
 * space:                    # name -> domain, first varies slowest
 *   adx_threshold: 15..35:5                 # range START..END[:STEP]
 *   ema_fast.period: [10, 20, 30]           # list
 *   rsi.period: log:5..50:6:int             # log range (CLI form) or { kind: log, start, end, num, integer }
 * conditions: ["ema_fast.period < ema_slow.period"]
 * gates: { min_trades: 30, min_sharpe: 0.5 }   # thresholds, or { thresholds: {...}, tolerances: {...} }
 * pruning: { pareto: true, kendall: true }
 * data: 9c1e4b2a            # optional: snapshot, from, to, tag
 * ```
 */
import { z } from 'zod';
import { SigmatiqError } from '../errors.js';
import { SweepError } from '../sweep/errors.js';
import { formatPath } from '../packs/report.js';
import { parsePackYaml } from '../packs/yaml-source.js';
import type { SweepSpec } from '../sweep/spec.js';
import type { SweepType } from '../sweep/caps.js';
import type { GatePolicyInput } from '../sweep/gates/gates.js';
import type { KendallStopOptions } from '../sweep/pruning/kendall.js';
import { SAMPLER_KINDS, type SamplerKind } from '../sweep/samplers/types.js';
import { parseDomain, type ParamSpec } from '../sweep/space/domain.js';
import type { ResolvedModel } from './resolve.js';

export interface SweepPlan {
  readonly type: SweepType;
  readonly sampler: SamplerKind;
  readonly params: readonly ParamSpec[];
  readonly conditions: readonly string[];
  readonly trials?: number;
  readonly seed?: number;
  readonly gates?: GatePolicyInput;
  readonly pruning?: { readonly pareto?: boolean; readonly kendall?: boolean | KendallStopOptions };
  readonly pboBlocks?: number;
  readonly data?: string;
  readonly from?: string;
  readonly to?: string;
  readonly tag?: string;
}

const Value = z.union([z.number(), z.string(), z.boolean()]);
const Num = z.number().refine(Number.isFinite, 'must be a finite number');
const DomainSchema = z.union([
  z.string().min(1),
  Num,
  z.array(Value).min(1),
  z.strictObject({ kind: z.literal('range'), start: Num, end: Num, step: Num.optional() }),
  z.strictObject({ kind: z.literal('log'), start: Num, end: Num, num: z.number().int().min(2), integer: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('list'), values: z.array(Value).min(1) }),
]);
const Thresholds = z.strictObject({ min_trades: Num.optional(), min_sharpe: Num.optional(), max_drawdown: Num.optional(), min_win_rate: Num.optional(), min_profit_factor: Num.optional() });
const Tolerances = z.strictObject({ trades_fraction: Num.optional(), sharpe: Num.optional(), drawdown: Num.optional(), win_rate: Num.optional(), profit_factor: Num.optional() });
const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const SweepPlanSchema = z.strictObject({
  type: z.enum(['simple', 'custom']).optional(),
  sampler: z.enum(SAMPLER_KINDS as readonly [SamplerKind, ...SamplerKind[]]).optional(),
  trials: z.number().int().min(1).optional(),
  seed: z.number().int().min(0).max(4294967295).optional(),
  space: z.record(z.string(), DomainSchema).refine((r) => Object.keys(r).length > 0, 'declare at least one parameter'),
  conditions: z.array(z.string().min(1)).optional(),
  gates: z.union([z.strictObject({ thresholds: Thresholds.optional(), tolerances: Tolerances.optional() }), Thresholds]).optional(),
  pruning: z.strictObject({ pareto: z.boolean().optional(), kendall: z.union([z.boolean(), z.strictObject({ topN: z.number().int().min(1).optional(), window: z.number().int().min(1).optional(), checks: z.number().int().min(1).optional(), threshold: Num.optional() })]).optional() }).optional(),
  pbo_blocks: z.number().int().min(0).optional(),
  data: z.string().min(4).max(100).optional(),
  from: DAY.optional(),
  to: DAY.optional(),
  tag: z.string().max(200).optional(),
});
type PlanInput = z.output<typeof SweepPlanSchema>;

/** One swept parameter from its YAML / flag form (a CLI string, a number, a list or a domain object). */
export function toParamSpec(name: string, d: z.output<typeof DomainSchema>): ParamSpec {
  if (typeof d === 'string') {
    const spec = parseDomain(name, d);
    // The CLI form's log pattern takes integer bounds only; anything else that starts with `log:` is a mistake, not a one-value list.
    if (spec.kind === 'list' && d.trim().startsWith('log:')) {
      throw new SweepError('INVALID_SPACE', `parameter '${name}': '${d}' is not log:START..END:NUM[:int] with integer bounds; write { kind: log, start, end, num } for other bounds`, { parameter: name, value: d });
    }
    return spec;
  }
  if (typeof d === 'number') return { name, kind: 'list', values: [d] };
  if (Array.isArray(d)) return { name, kind: 'list', values: d };
  if (d.kind === 'range') return { name, kind: 'range', start: d.start, end: d.end, step: d.step ?? 1 };
  if (d.kind === 'log') return { name, kind: 'log', start: d.start, end: d.end, num: d.num, ...(d.integer === undefined ? {} : { integer: d.integer }) };
  return { name, kind: 'list', values: d.values };
}

function toPlan(p: PlanInput): SweepPlan {
  const gates: GatePolicyInput | undefined = p.gates === undefined ? undefined : 'thresholds' in p.gates || 'tolerances' in p.gates ? (p.gates) : { thresholds: p.gates as GatePolicyInput['thresholds'] };
  return {
    type: p.type ?? 'simple',
    sampler: p.sampler ?? 'grid',
    params: Object.entries(p.space).map(([name, d]) => toParamSpec(name, d)),
    conditions: p.conditions ?? [],
    ...(p.trials === undefined ? {} : { trials: p.trials }),
    ...(p.seed === undefined ? {} : { seed: p.seed }),
    ...(gates === undefined ? {} : { gates }),
    ...(p.pruning === undefined ? {} : { pruning: p.pruning }),
    ...(p.pbo_blocks === undefined ? {} : { pboBlocks: p.pbo_blocks }),
    ...(p.data === undefined ? {} : { data: p.data }),
    ...(p.from === undefined ? {} : { from: p.from }),
    ...(p.to === undefined ? {} : { to: p.to }),
    ...(p.tag === undefined ? {} : { tag: p.tag }),
  };
}

/**
 * Parse a `%%sweep` YAML body: `SWEEP_PLAN_YAML` (syntax) / `SWEEP_PLAN_INVALID` (shape), both
 * with `file:line:col`; a malformed domain string is SWEEP_INVALID_SPACE (SWS-1003) naming it.
 */
export function parseSweepPlanYaml(text: string, file = '%%sweep'): SweepPlan {
  const parsed = parsePackYaml(text, file);
  if (!parsed.ok) {
    const i = parsed.issues[0];
    throw new SigmatiqError('SWEEP_PLAN_YAML', `${file}:${i?.line ?? 1}:${i?.col ?? 1}: YAML ${i?.yaml_code ?? ''}: ${i?.message ?? 'invalid'}`, { line: i?.line, col: i?.col });
  }
  const res = SweepPlanSchema.safeParse(parsed.value ?? {});
  if (!res.success) {
    const issue = res.error.issues[0];
    const path = issue?.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : (issue?.path ?? []);
    const pos = parsed.source.locate(path, issue?.code === 'unrecognized_keys');
    const msg = issue?.code === 'unrecognized_keys' ? `unknown field '${issue.keys[0] ?? ''}'` : pos.missing ? `required field is missing` : (issue?.message ?? 'invalid');
    throw new SigmatiqError('SWEEP_PLAN_INVALID', `${file}:${pos.line}:${pos.col}: ${formatPath(path) || '(sweep)'}: ${msg}`, { path: formatPath(path), line: pos.line, col: pos.col, issues: res.error.issues.length });
  }
  return toPlan(res.data);
}

/** Validate a plan object (e.g. from `%sweep run` flags or `sq.sweep.run`): SWEEP_PLAN_INVALID naming the field. */
export function sweepPlan(input: unknown): SweepPlan {
  const res = SweepPlanSchema.safeParse(input);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new SigmatiqError('SWEEP_PLAN_INVALID', `${formatPath(issue?.path ?? []) || '(sweep)'}: ${issue?.message ?? 'invalid'}`, { path: formatPath(issue?.path ?? []) });
  }
  return toPlan(res.data);
}

/** The engine SweepSpec of a plan on a resolved model (target = the model's strategy and fixed overrides). */
export function sweepSpecFor(model: ResolvedModel, plan: SweepPlan, extra: { readonly sweepId?: string; readonly tier?: SweepSpec['tier'] } = {}): SweepSpec {
  return {
    target: model.sweepTarget,
    space: { params: plan.params, conditions: plan.conditions },
    sampler: plan.sampler,
    type: plan.type,
    ...(plan.trials === undefined ? {} : { trials: plan.trials }),
    ...(plan.seed === undefined ? {} : { seed: plan.seed }),
    ...(plan.gates === undefined ? {} : { gates: plan.gates }),
    ...(plan.pruning === undefined ? {} : { pruning: plan.pruning }),
    ...(plan.pboBlocks === undefined ? {} : { pboBlocks: plan.pboBlocks }),
    ...(plan.tag === undefined ? {} : { tag: plan.tag }),
    ...(extra.sweepId === undefined ? {} : { sweepId: extra.sweepId }),
    ...(extra.tier === undefined ? {} : { tier: extra.tier }),
  };
}
