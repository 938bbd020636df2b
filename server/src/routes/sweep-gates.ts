/**
 * The sidecar judges every stored combination itself: PASS / MARGINAL / FAIL come from the engine's own
 * `evaluateGates` on the combination's metrics, under the sweep's gate policy resolved exactly as the engine's
 * sweep does (`resolveGates(pack's gates.quality, sweep overrides)`, engine/src/sweep/spec.ts). A client never
 * decides a gate: the leaderboard and the training routes (only PASS / MARGINAL may be trained) read what is
 * computed here.
 *
 * What a client may still send, `gate_results`, is a claim that must agree with the engine (422 GATE_MISMATCH
 * otherwise): a client that judged under other thresholds (another pack version, edited gates) or other metrics
 * than the ones it posts has a bug the researcher should see, rather than a notebook and a leaderboard that
 * silently disagree. Keys are the engine's check names (`min_trades`, `min_sharpe`, `max_drawdown`,
 * `min_win_rate`, `min_profit_factor`) or `quality` for the overall status.
 */
import { SigmatiqError, evaluateGates, resolveGates, type GatePolicyInput, type GateResult, type ResolvedGates } from '../engine.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';

interface Issue { readonly path: readonly PropertyKey[]; readonly message: string }
interface Schema { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly Issue[] } } }
interface Schemas {
  /** A `%%sweep` plan's `gates:` (engine SweepPlanSchema): `{ thresholds?, tolerances? }` or bare thresholds. */
  readonly sweepGates: Schema;
  /** A pack's `gates.quality` (engine QualityGateSchema). */
  readonly packQuality: Schema;
}

let schemas: Promise<Schemas> | undefined;
/** The engine's own schemas (loaded on first use: they pull in the pack and plan modules, not needed at start-up). */
function engineSchemas(): Promise<Schemas> {
  schemas ??= Promise.all([import('@sigmatiq/engine/dist/models/sweep-plan.js'), import('@sigmatiq/engine/dist/packs/schema.js')])
    .then(([plan, pack]) => ({ sweepGates: plan.SweepPlanSchema.shape.gates, packQuality: pack.QualityGateSchema }));
  return schemas;
}

function invalid(where: string, message: string, details: Record<string, unknown>): SigmatiqError {
  return new SigmatiqError('GATE_POLICY_INVALID', `${where}: ${message}`, details);
}

function checked(schema: Schema, value: unknown, where: string, field: string, extra: Record<string, unknown> = {}): unknown {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  const p = (i?.path ?? []).map(String).join('.');
  throw invalid(where, `${p === '' ? '' : `${p}: `}${i?.message ?? 'invalid'}`, { ...extra, field: p === '' ? field : `${field}.${p}` });
}

/** The sweep-override layer of `quality_gates` (null/undefined: none), normalized as the engine's plan does. */
function sweepGateLayer(s: Schemas, qualityGates: unknown): GatePolicyInput | undefined {
  if (qualityGates === null || qualityGates === undefined) return undefined;
  const g = checked(s.sweepGates, qualityGates, 'quality_gates', 'quality_gates') as Record<string, unknown>;
  return 'thresholds' in g || 'tolerances' in g ? g : { thresholds: g };
}

/**
 * The pack layer: the pack document's `gates.quality`. A sidecar pack whose document has no `gates` section
 * (a registry stand-in, not an engine pack) has no layer: the engine defaults apply, as they do for a sweep
 * of bare expressions.
 */
function packGateLayer(s: Schemas, spec: unknown, packId: string): GatePolicyInput | undefined {
  const gates = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)['gates'] : undefined;
  if (gates === undefined) return undefined;
  const quality = typeof gates === 'object' && gates !== null ? (gates as Record<string, unknown>)['quality'] : undefined;
  const t = checked(s.packQuality, quality, `pack ${packId} gates.quality`, 'spec.gates.quality', { pack_id: packId });
  return { thresholds: t as GatePolicyInput['thresholds'] };
}

/** Defaults, then the pack's layer, then the sweep's (later wins), validated by the engine. */
export function resolveSweepGates(packLayer: GatePolicyInput | undefined, sweepLayer: GatePolicyInput | undefined): ResolvedGates {
  try {
    return resolveGates(packLayer, sweepLayer);
  } catch (e) {
    // Duck-typed: the engine's SweepError may come from another module instance of errors.js (test runners).
    const d = (e as { details?: unknown }).details;
    const { reason_code: _r, ...where } = typeof d === 'object' && d !== null ? (d as Record<string, unknown>) : {};
    throw invalid('gate policy', e instanceof Error ? e.message : String(e), where);
  }
}

/** The resolved gate policy of a stored sweep (its model version's pack + its quality_gates). */
export async function sweepGatePolicy(tx: LibsqlTenantStore, orgId: string, sweep: { id: string; model_version_id: string; quality_gates: unknown }): Promise<ResolvedGates> {
  const s = await engineSchemas();
  const sweepLayer = sweepGateLayer(s, sweep.quality_gates);
  const mv = await tx.get('model_versions', orgId, sweep.model_version_id);
  const model = mv === null ? null : await tx.get('models', orgId, mv.model_id);
  const pack = model === null ? null : await tx.get('packs', orgId, model.pack_id);
  if (pack === null) throw new SigmatiqError('CONFLICT', "The sweep's model version, model or pack is gone.", { sweep_id: sweep.id });
  return resolveSweepGates(packGateLayer(s, pack.spec, pack.id), sweepLayer);
}

/** The BacktestMetrics fields the gates read; profit_factor null is +∞ (winners, no loser). */
export interface JudgedMetrics {
  readonly total_trades: number; readonly sharpe_ratio: number; readonly max_drawdown: number; readonly win_rate: number; readonly profit_factor: number | null;
}
export type Gate = 'PASS' | 'MARGINAL' | 'FAIL';

/**
 * The engine's verdict on one combination, and its per-check statuses as stored in `gate_results`. `sent` (the
 * client's gate_results, if any) must agree key by key: 422 GATE_MISMATCH naming the item, key, sent and
 * computed status, threshold, relaxed bound and value.
 */
export function judgeCombination(m: JudgedMetrics, gates: ResolvedGates, sent: Readonly<Record<string, Gate>> | undefined, item: number): { gate_status: Gate; gate_results: Record<string, Gate> } {
  const r: GateResult = evaluateGates({ ...m, profit_factor: m.profit_factor ?? Number.POSITIVE_INFINITY }, gates);
  const gate_results: Record<string, Gate> = {};
  for (const c of r.checks) gate_results[c.check] = c.status;
  for (const [key, status] of Object.entries(sent ?? {})) {
    const computed = key === 'quality' ? r.status : gate_results[key];
    if (computed === status) continue;
    const check = r.checks.find((c) => c.check === key);
    throw new SigmatiqError('GATE_MISMATCH', computed === undefined
      ? `items[${item}].gate_results.${key}: the engine has no gate '${key}' (gates: quality, ${r.checks.map((c) => c.check).join(', ')}).`
      : `items[${item}].gate_results.${key} is ${status}; the engine evaluates ${computed} from these metrics under the sweep's gate policy.`, {
      field: `items.${item}.gate_results.${key}`, sent: status, computed: computed ?? null, gate_status: r.status,
      ...(check === undefined ? {} : { threshold: check.threshold, relaxed: check.relaxed, value: check.value }),
    });
  }
  return { gate_status: r.status, gate_results };
}
