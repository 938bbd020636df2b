/**
 * Training datasets: features from a pack's indicators and Sigmatiq features at a chosen
 * combination's parameters, labels (labels.ts), rows where every feature and the label exist.
 *
 * Feature columns are named as strategy expressions name them (`rsi`, `macd_signal`, …: the pack
 * id, plus `_<output>` for multi-output indicators). Custom features (`calculation: expression`)
 * are boolean conditions in the expression language, not numbers, and are skipped with a warning.
 */
import type { Bars } from '../data/bars.js';
import { getIndicator } from '../indicators/index.js';
import type { BarsInput } from '../indicators/types.js';
import { outputNames, resolveStrategy, type Pack } from '../packs/index.js';
import { trainError } from './errors.js';
import { makeLabels, type LabelSpec } from './labels.js';
import type { FeatureMatrix } from './matrix.js';

/** One pack indicator/feature as the model computes it: registry kernel, parameters, column names. */
export interface FeatureSpec {
  readonly id: string;
  readonly indicator: string;
  readonly params: Readonly<Record<string, number>>;
  readonly columns: readonly string[];
}

export interface TrainWarning {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * What a model config (engine/src/models ModelConfig) contributes: strategy, indicator subset,
 * parameter overrides and exec / sizing / risk policy overrides. A ModelConfig is a ModelLike.
 */
export interface ModelLike {
  readonly strategy: string;
  readonly indicators?: readonly string[];
  readonly params?: Readonly<Record<string, number>>;
  readonly exec?: Readonly<Record<string, number>>;
  readonly sizing?: Readonly<Record<string, number>>;
  readonly risk?: Readonly<Record<string, number>>;
}

/** resolveStrategy overrides: the model's params and policy fields, then the combination's params. */
export function comboOverrides(model: ModelLike | undefined, params: Readonly<Record<string, number>> | undefined): Record<string, number> {
  const out: Record<string, number> = { ...(model?.params ?? {}) };
  for (const section of ['exec', 'sizing', 'risk'] as const) for (const [k, v] of Object.entries(model?.[section] ?? {})) out[`${section}.${k}`] = v;
  return { ...out, ...(params ?? {}) };
}

export interface DatasetRequest {
  readonly bars: Bars;
  readonly pack: Pack;
  /** Strategy id (default: the model's, else the pack's default). */
  readonly strategy?: string;
  /** The combination's parameters (resolveStrategy overrides), merged over the model's. */
  readonly params?: Readonly<Record<string, number>>;
  readonly model?: ModelLike;
  /** Pack indicator/feature ids to use (default: the model's selection, else all). */
  readonly features?: readonly string[];
  readonly label: LabelSpec;
}

export interface Dataset {
  readonly x: FeatureMatrix;
  readonly y: Uint8Array;
  /** Bar index of each row. */
  readonly barIndex: Int32Array;
  /** Time of each row's bar and of its label's last bar (ms), for purging. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly specs: readonly FeatureSpec[];
  readonly strategy: string;
  readonly side: 'long' | 'short';
  /** The strategy's resolved parameters (levels, strategy params, indicator params). */
  readonly params: Readonly<Record<string, number>>;
  readonly warnings: readonly TrainWarning[];
}

/** Feature specs of the selected pack ids at the given kernel parameters. */
export function featureSpecs(pack: Pack, indicatorParams: Readonly<Record<string, Readonly<Record<string, number>>>>, selected?: readonly string[]): { specs: FeatureSpec[]; warnings: TrainWarning[] } {
  const all = [...pack.indicators.map((i) => ({ id: i.id, kernel: i.indicator })), ...pack.features.map((f) => ({ id: f.id, kernel: f.calculation === 'expression' ? undefined : f.calculation }))];
  const ids = selected ?? all.map((a) => a.id);
  const specs: FeatureSpec[] = [];
  const warnings: TrainWarning[] = [];
  for (const id of ids) {
    const entry = all.find((a) => a.id === id);
    if (entry === undefined) throw trainError('TRAIN_BAD_PARAM', `features: pack '${pack.pack_id}' has no indicator or feature '${id}'`, { parameter: 'features', value: id });
    if (entry.kernel === undefined) {
      warnings.push({ code: 'TRAIN_FEATURE_SKIPPED', message: `feature '${id}' is a custom expression (a condition, not a number): not used as a model feature`, details: { feature: id } });
      continue;
    }
    const def = getIndicator(entry.kernel);
    if (def === undefined) throw trainError('TRAIN_BAD_PARAM', `features: '${id}' uses '${entry.kernel}', which is not a registered indicator`, { parameter: 'features', value: id });
    const params = def.resolveParams(indicatorParams[id] ?? {});
    specs.push({ id, indicator: def.name, params, columns: outputNames(id, def.name, def.outputs) });
  }
  if (specs.length === 0) throw trainError('TRAIN_BAD_PARAM', 'features: no numeric feature selected', { parameter: 'features' });
  return { specs, warnings };
}

/** Every feature column over every bar (NaN during warm-up). */
export function computeFeatures(bars: BarsInput, specs: readonly FeatureSpec[]): FeatureMatrix {
  const names: string[] = [];
  const columns: Float64Array[] = [];
  for (const s of specs) {
    const def = getIndicator(s.indicator);
    if (def === undefined) throw trainError('TRAIN_BAD_PARAM', `feature '${s.id}': '${s.indicator}' is not a registered indicator`, { parameter: 'features', value: s.id });
    const outs = def.compute(bars, s.params);
    s.columns.forEach((c, k) => {
      names.push(c);
      columns.push(outs[k] ?? new Float64Array(bars.length).fill(NaN));
    });
  }
  return { names, columns, rows: bars.length };
}

export function buildDataset(req: DatasetRequest): Dataset {
  const strategyId = req.strategy ?? req.model?.strategy ?? req.pack.default_strategy;
  const overrides = comboOverrides(req.model, req.params);
  const resolved = resolveStrategy(req.pack, strategyId, overrides);
  const { specs, warnings } = featureSpecs(req.pack, resolved.indicator_params, req.features ?? req.model?.indicators);
  const full = computeFeatures(req.bars, specs);
  const labels = makeLabels(req.bars, req.label, resolved.side);
  const keep: number[] = [];
  for (let i = 0; i < req.bars.length; i++) {
    if ((labels.valid[i] as number) === 0) continue;
    let ok = true;
    for (const c of full.columns) {
      if (!Number.isFinite(c[i])) {
        ok = false;
        break;
      }
    }
    if (ok) keep.push(i);
  }
  if (keep.length === 0) throw trainError('TRAIN_NO_DATA', `no bar has every feature and a label (${req.bars.length} bars)`, { bars: req.bars.length });
  const barIndex = Int32Array.from(keep);
  const columns = full.columns.map((c) => Float64Array.from(barIndex, (i) => c[i] as number));
  const flat: Record<string, number> = { ...resolved.params };
  for (const [id, ps] of Object.entries(resolved.indicator_params)) for (const [k, v] of Object.entries(ps)) flat[`${id}.${k}`] = v;
  return {
    x: { names: full.names, columns, rows: keep.length },
    y: Uint8Array.from(barIndex, (i) => labels.y[i] as number),
    barIndex,
    start: Float64Array.from(barIndex, (i) => req.bars.ts[i] as number),
    end: Float64Array.from(barIndex, (i) => req.bars.ts[labels.end[i] as number] as number),
    specs,
    strategy: strategyId,
    side: resolved.side,
    params: flat,
    warnings,
  };
}
