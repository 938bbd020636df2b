/**
 * From a model config and its pack to what the engine runs: `resolveModel` gives the resolved
 * strategy, the backtest request (add bars) and the sweep target (add a space). Also the
 * `--set k=v` helpers and pinning a config to a pack's version and content hash.
 */
import type { StrategyBacktestRequest } from '../backtest/index.js';
import { isSigmatiqError, SigmatiqError } from '../errors.js';
import { configHash } from '../hash/index.js';
import { packContext, resolveStrategy, strategyBacktestRequest, type Pack, type ResolvedStrategy } from '../packs/index.js';
import { ENGINE_INDICATORS } from '../strategy/index.js';
import type { SweepTarget } from '../sweep/exec/target.js';
import { modelConfig, modelConfigHash, normalizeModel } from './load.js';
import { POLICY_SECTIONS, type ModelConfig, type PolicySection } from './schema.js';

/** A pack's content hash as models pin it: sha256 of the canonical JSON of the parsed pack. */
export function packContentHash(pack: Pack): string {
  return configHash(JSON.parse(JSON.stringify(pack)) as unknown);
}

export interface ResolvedModel {
  readonly config: ModelConfig;
  readonly config_hash: string;
  readonly pack: Pack;
  readonly strategy: ResolvedStrategy;
  /** Flat overrides as `resolveStrategy` takes them: params keys plus `exec.x`, `sizing.x`, `risk.x`. */
  readonly overrides: Readonly<Record<string, number>>;
  /** Pack indicator/feature ids the strategy reads (sorted). */
  readonly uses: readonly string[];
  /** `runStrategyBacktest({ ...backtest, bars })`. */
  readonly backtest: Pick<StrategyBacktestRequest, 'entry' | 'exit' | 'params' | 'context' | 'config'>;
  /** `runSweep(bars, { target: sweepTarget, space, ... })`: the model's overrides are the fixed ones, swept names override them. */
  readonly sweepTarget: SweepTarget & { readonly kind: 'pack' };
}

/** The config with `pack.version` and `pack.content_hash` filled in from `pack` (MODEL_PACK_MISMATCH when they differ). */
export function pinModel(config: ModelConfig, pack: Pack): ModelConfig {
  checkPack(config, pack);
  return normalizeModel({ ...config, pack: { id: pack.pack_id, version: pack.version, content_hash: packContentHash(pack) } });
}

function checkPack(config: ModelConfig, pack: Pack): void {
  const ref = config.pack;
  if (ref.id !== pack.pack_id) throw new SigmatiqError('MODEL_PACK_MISMATCH', `the model uses pack '${ref.id}', not '${pack.pack_id}'`, { path: 'pack.id', expected: ref.id, got: pack.pack_id });
  if (ref.version !== undefined && ref.version !== pack.version) {
    throw new SigmatiqError('MODEL_PACK_MISMATCH', `the model pins ${ref.id} ${ref.version}; the pack found is ${pack.version}`, { path: 'pack.version', expected: ref.version, got: pack.version });
  }
  if (ref.content_hash !== undefined) {
    const h = packContentHash(pack);
    if (h !== ref.content_hash) {
      throw new SigmatiqError('MODEL_PACK_MISMATCH', `pack ${ref.id} ${pack.version} changed since the model pinned it (content hash ${ref.content_hash.slice(0, 12)}… vs ${h.slice(0, 12)}…)`, { path: 'pack.content_hash', expected: ref.content_hash, got: h });
    }
  }
}

/** The flat override map of a config (params keys, then `section.field` for exec/sizing/risk). */
export function modelOverrides(config: ModelConfig): Record<string, number> {
  const out: Record<string, number> = { ...config.params };
  for (const s of POLICY_SECTIONS) for (const [k, v] of Object.entries(config[s] ?? {})) out[`${s}.${k}`] = v;
  return out;
}

/** Pack ids (indicators, features) read by the strategy's rules, with feature inputs, sorted. */
function usedIds(pack: Pack, strategyId: string): string[] {
  const ctx = packContext(pack, ENGINE_INDICATORS);
  const strategy = pack.strategies.find((s) => s.id === strategyId);
  const used = new Set<string>();
  const feature = new Map(pack.features.map((f) => [f.id, f]));
  const visit = (text: string): void => {
    for (const name of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      const owner = ctx.names.get(name)?.owner;
      if (owner === undefined || used.has(owner)) continue;
      used.add(owner);
      const f = feature.get(owner);
      if (f !== undefined) {
        for (const inp of f.inputs) used.add(inp);
        if (f.expression !== undefined) visit(f.expression);
      }
    }
  };
  for (const t of [...(strategy?.entry_logic ?? []), ...(strategy?.exit_logic ?? [])]) visit(t);
  return [...used].sort();
}

const CODE_MAP: Readonly<Record<string, string>> = {
  PACK_OVERRIDE_UNKNOWN: 'MODEL_PARAM_UNKNOWN',
  PACK_OVERRIDE_INVALID: 'MODEL_PARAM_INVALID',
  PACK_STRATEGY_UNKNOWN: 'MODEL_STRATEGY_UNKNOWN',
};

/**
 * Everything the engine's backtest and sweep need for this model. Throws MODEL_PACK_MISMATCH,
 * MODEL_STRATEGY_UNKNOWN, MODEL_PARAM_UNKNOWN / MODEL_PARAM_INVALID (details.path = the config
 * path), MODEL_INDICATOR_UNKNOWN / MODEL_INDICATOR_MISSING (indicator subset).
 */
export function resolveModel(config: ModelConfig, pack: Pack): ResolvedModel {
  checkPack(config, pack);
  const overrides = modelOverrides(config);
  let strategy: ResolvedStrategy;
  try {
    strategy = resolveStrategy(pack, config.strategy, overrides);
  } catch (e) {
    if (!isSigmatiqError(e)) throw e;
    const code = CODE_MAP[e.code];
    if (code === undefined) throw e;
    const key = typeof e.details?.['key'] === 'string' ? e.details['key'] : undefined;
    const head = key?.split('.')[0];
    const path = key === undefined ? 'strategy' : (POLICY_SECTIONS as readonly string[]).includes(head ?? '') ? key : `params.${key}`;
    throw new SigmatiqError(code, `model '${config.name}': ${e.message}`, { ...e.details, path, cause_code: e.code }, { cause: e });
  }
  const uses = usedIds(pack, strategy.strategy_id);
  if (config.indicators !== undefined) {
    const known = new Set([...pack.indicators.map((i) => i.id), ...pack.features.map((f) => f.id)]);
    config.indicators.forEach((id, i) => {
      if (!known.has(id)) throw new SigmatiqError('MODEL_INDICATOR_UNKNOWN', `pack '${pack.pack_id}' has no indicator or feature '${id}' (it has ${[...known].join(', ')})`, { path: `indicators[${i}]`, indicator: id });
    });
    const missing = uses.filter((id) => !(config.indicators ?? []).includes(id));
    if (missing.length > 0) {
      throw new SigmatiqError('MODEL_INDICATOR_MISSING', `strategy '${strategy.strategy_id}' reads ${missing.map((m) => `'${m}'`).join(', ')}, not in the model's indicators`, { path: 'indicators', missing });
    }
  }
  return {
    config,
    config_hash: modelConfigHash(config),
    pack,
    strategy,
    overrides,
    uses,
    backtest: strategyBacktestRequest(strategy),
    sweepTarget: { kind: 'pack', pack, strategy: strategy.strategy_id, overrides },
  };
}

/** `k=v` with a finite number v, or MODEL_SET_INVALID naming the text. */
export function parseSet(text: string): [string, number] {
  const eq = text.indexOf('=');
  const key = eq <= 0 ? '' : text.slice(0, eq).trim();
  const raw = eq <= 0 ? '' : text.slice(eq + 1).trim();
  const v = raw === '' ? Number.NaN : Number(raw);
  if (key === '' || !Number.isFinite(v)) {
    throw new SigmatiqError('MODEL_SET_INVALID', `--set needs KEY=NUMBER (e.g. rsi.period=10, exit_k=80, risk.stop_loss=0.05), got '${text}'`, { param: 'set', value: text });
  }
  return [key, v];
}

/**
 * The config with `k=v` overrides applied: `exec.x` / `sizing.x` / `risk.x` go to their policy
 * section, everything else to `params`. Validated again (MODEL_SCHEMA naming the field).
 */
export function applySets(config: ModelConfig, sets: readonly string[]): ModelConfig {
  const next: Record<string, unknown> = { ...config, params: { ...config.params } };
  for (const s of POLICY_SECTIONS) next[s] = { ...config[s] };
  for (const text of sets) {
    const [key, v] = parseSet(text);
    const dot = key.indexOf('.');
    const head = dot < 0 ? '' : key.slice(0, dot);
    if ((POLICY_SECTIONS as readonly string[]).includes(head)) (next[head as PolicySection] as Record<string, number>)[key.slice(dot + 1)] = v;
    else (next['params'] as Record<string, number>)[key] = v;
  }
  return modelConfig(next);
}
