/**
 * The model half of the notebook API and of `%model` / `%%model`: build a model config from flags
 * or YAML (engine/src/models), validate it against its pack, and persist the model and a model
 * version (config_yaml) in the sidecar; a new version only when the config_hash changes.
 */
import {
  applySets, defaultPacksDir, loadPack, modelConfig, modelConfigHash, modelToYaml, parseModelYaml, pinModel, resolveModel, SigmatiqError,
  type ModelConfig, type Pack, type ResolvedModel,
} from '@sigmatiq/engine';
import { bundle, type DisplayOutput, type Displayable, escapeHtml, table, toMimeBundle } from '../display/mime.js';
import { connectSidecar, type SigmatiqClient } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { resolveSnapshot } from './data.js';
import { createModelRow, createModelVersion, ensurePack, findModel, listModels, listModelVersions, type SidecarModel, type SidecarModelVersion } from './registry.js';

export interface CreateModelOptions {
  /** Pack id (or file) in the packs folder. */
  pack: string;
  /** Strategy id of the pack. */
  strategy: string;
  instrument?: string;
  /** Subset of the pack's indicator/feature ids. */
  indicators?: readonly string[];
  /** `key=value` overrides (`rsi.period=10`, `exit_k=80`, `risk.stop_loss=0.05`). */
  set?: readonly string[];
  /** Data snapshot (hash prefix or sidecar id) the model backtests on by default. */
  data?: string;
  description?: string;
}

export interface ModelOptions {
  /** Packs folder (default: SIGMATIQ_PACKS_DIR, else <repo>/packs). */
  packsDir?: string;
}

/** What `%model create` / `%%model` / `%model show` give: the model, its (latest) version and the resolved config. */
export class ModelView implements Displayable {
  constructor(
    readonly model: SidecarModel,
    readonly version: SidecarModelVersion,
    readonly config: ModelConfig,
    readonly resolved: ResolvedModel,
    /** created: new model; new-version: config changed; unchanged: same config_hash as the latest version; shown: `%model show`. */
    readonly status: 'created' | 'new-version' | 'unchanged' | 'shown',
  ) {}

  /** Resolved parameter values: levels and strategy params, then indicator params (`rsi.period`). */
  parameterRows(): Record<string, unknown>[] {
    const r = this.resolved.strategy;
    const overridden = new Set(Object.keys(this.resolved.overrides));
    const rows: Record<string, unknown>[] = Object.entries(r.params).map(([name, value]) => ({ parameter: name, value, overridden: overridden.has(name) ? 'yes' : '' }));
    for (const [id, ps] of Object.entries(r.indicator_params)) {
      if (!this.resolved.uses.includes(id)) continue;
      for (const [p, value] of Object.entries(ps)) rows.push({ parameter: `${id}.${p}`, value, overridden: overridden.has(`${id}.${p}`) ? 'yes' : '' });
    }
    for (const [k, v] of Object.entries(this.resolved.overrides)) if (/^(exec|sizing|risk)\./.test(k)) rows.push({ parameter: k, value: v, overridden: 'yes' });
    return rows;
  }

  [toMimeBundle](): DisplayOutput {
    const c = this.config;
    const note = { created: 'created', 'new-version': 'new version', unchanged: 'unchanged: same config_hash as the latest version', shown: 'latest version' }[this.status];
    const caption = `Model ${this.model.name} v${this.version.version} (${note})`;
    const fields = table(
      [
        { field: 'model id', value: this.model.id },
        { field: 'version id', value: this.version.id },
        { field: 'pack', value: `${c.pack.id} ${c.pack.version ?? ''}`.trim() },
        { field: 'strategy', value: `${c.strategy} (${this.resolved.strategy.side})` },
        { field: 'instrument', value: c.instrument ?? '' },
        { field: 'data', value: c.data ?? '' },
        { field: 'indicators', value: (c.indicators ?? this.resolved.uses).join(', ') },
        { field: 'entry', value: this.resolved.strategy.entry },
        { field: 'exit', value: this.resolved.strategy.exit },
        { field: 'config_hash', value: this.version.config_hash },
      ],
      ['field', 'value'],
      caption,
    );
    const params = table(this.parameterRows(), ['parameter', 'value', 'overridden'], 'Parameters');
    const yaml = this.version.config_yaml;
    return bundle({
      'text/plain': `${fields.data['text/plain']}\n\n${params.data['text/plain']}\n\n${yaml}`,
      'text/html': `<div class="sq-model">${String(fields.data['text/html'])}${String(params.data['text/html'])}<pre>${escapeHtml(yaml)}</pre></div>`,
    });
  }
}

/** Versions of a model (`%model versions`), oldest first. */
export class ModelVersionList implements Displayable {
  constructor(
    readonly model: SidecarModel,
    readonly versions: readonly SidecarModelVersion[],
  ) {}

  [toMimeBundle](): DisplayOutput {
    const rows = this.versions.map((v) => {
      let summary = '';
      try {
        const c = parseModelYaml(v.config_yaml);
        summary = [c.strategy, ...Object.entries({ ...c.params, ...prefixed(c) }).map(([k, x]) => `${k}=${x}`)].join(' ');
      } catch {
        summary = '(unreadable config)';
      }
      return { version: v.version, id: v.id, pack_version: v.pack_version, config_hash: v.config_hash.slice(0, 16), config: summary, created_at: v.created_at };
    });
    return table(rows, ['version', 'id', 'pack_version', 'config_hash', 'config', 'created_at'], `${this.versions.length} version${this.versions.length === 1 ? '' : 's'} of model ${this.model.name}`);
  }
}

function prefixed(c: ModelConfig): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of ['exec', 'sizing', 'risk'] as const) for (const [k, v] of Object.entries(c[s] ?? {})) out[`${s}.${k}`] = v;
  return out;
}

/** A model as stored in the sidecar, with its config parsed and resolved against the pack. */
export interface LoadedModel {
  readonly client: SigmatiqClient;
  readonly model: SidecarModel;
  readonly version: SidecarModelVersion;
  readonly config: ModelConfig;
  readonly resolved: ResolvedModel;
}

function loadModelPack(config: ModelConfig, opts: ModelOptions): Pack {
  return loadPack(config.pack.id, opts.packsDir ?? defaultPacksDir()).pack;
}

async function requireModel(client: SigmatiqClient, name: string): Promise<SidecarModel> {
  const model = await findModel(client, name);
  if (model !== undefined) return model;
  const names = [...new Set((await listModels(client)).map((m) => m.name))].sort();
  throw new SigmatiqError('MODEL_NOT_FOUND', `unknown model '${name}' (${names.length === 0 ? 'no models yet' : `models: ${names.join(', ')}`}); create it with %model create ${name} --pack P --strategy S`, { param: 'model', model: name });
}

/**
 * The latest version of model `name` (or version number `version`), resolved against its pack.
 * MODEL_NOT_FOUND, MODEL_VERSION_NOT_FOUND, or the engine's MODEL_* errors when the pack changed.
 */
export async function loadModel(locator: SidecarLocator, name: string, opts: ModelOptions & { version?: number } = {}): Promise<LoadedModel> {
  const { client } = await connectSidecar(locator);
  const model = await requireModel(client, name);
  const versions = await listModelVersions(client, model.id);
  const version = opts.version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === opts.version);
  if (version === undefined) {
    throw new SigmatiqError('MODEL_VERSION_NOT_FOUND', opts.version === undefined ? `model '${name}' has no version yet` : `model '${name}' has no version ${opts.version} (it has ${versions.length})`, { param: 'version', model: name });
  }
  const config = parseModelYaml(version.config_yaml, { file: `${name} v${version.version}` });
  const resolved = resolveModel(config, loadModelPack(config, opts));
  return { client, model, version, config, resolved };
}

/**
 * Validates `config` against its pack (everything before any write), then stores it: the model
 * row when `name` is new, and a version unless the latest one has the same config_hash.
 */
export async function saveModel(locator: SidecarLocator, input: ModelConfig, opts: ModelOptions = {}): Promise<ModelView> {
  const pack = loadModelPack(input, opts);
  let config = pinModel(input, pack);
  if (config.data !== undefined) config = { ...config, data: (await resolveSnapshot(locator, config.data)).hash };
  const resolved = resolveModel(config, pack);
  const { client } = await connectSidecar(locator);
  const packRow = await ensurePack(client, pack);
  let model = await findModel(client, config.name);
  let status: ModelView['status'] = 'new-version';
  if (model === undefined) {
    model = await createModelRow(client, packRow.id, config.name, config.description);
    status = 'created';
  } else if (model.pack_id !== packRow.id) {
    throw new SigmatiqError('MODEL_PACK_MISMATCH', `model '${config.name}' belongs to another pack row (${model.pack_id}), not ${pack.pack_id} ${pack.version} (${packRow.id}); use a new model name for another pack or pack version`, { path: 'pack', model: config.name });
  }
  const hash = modelConfigHash(config);
  const latest = (await listModelVersions(client, model.id)).at(-1);
  if (latest !== undefined && latest.config_hash === hash) return new ModelView(model, latest, config, resolved, 'unchanged');
  const version = await createModelVersion(client, model.id, modelToYaml(config));
  if (version.config_hash !== hash) {
    throw new SigmatiqError('MODEL_HASH_MISMATCH', `the sidecar computed config_hash ${version.config_hash} for model '${config.name}', the engine ${hash}`, { model: config.name });
  }
  return new ModelView(model, version, config, resolved, status);
}

/** `%model create` / `sq.model.create`: a model config from flags, validated and stored. */
export async function createModel(locator: SidecarLocator, name: string, opts: CreateModelOptions, more: ModelOptions = {}): Promise<ModelView> {
  const packId = loadPack(opts.pack, more.packsDir ?? defaultPacksDir()).pack.pack_id;
  const base = modelConfig({
    name,
    pack: packId,
    strategy: opts.strategy,
    ...(opts.description === undefined ? {} : { description: opts.description }),
    ...(opts.instrument === undefined ? {} : { instrument: opts.instrument }),
    ...(opts.data === undefined ? {} : { data: opts.data }),
    ...(opts.indicators === undefined ? {} : { indicators: [...opts.indicators] }),
  });
  return saveModel(locator, applySets(base, opts.set ?? []), more);
}

/** `%%model <name>` / `sq.model.define`: a model config from YAML (name: optional, must match). */
export async function defineModel(locator: SidecarLocator, name: string, yaml: string, more: ModelOptions = {}): Promise<ModelView> {
  return saveModel(locator, parseModelYaml(yaml, { name, file: `%%model ${name}` }), more);
}

/** `%model show` / `sq.model.show`: the latest version (or version number `version`). */
export async function showModel(locator: SidecarLocator, name: string, more: ModelOptions & { version?: number } = {}): Promise<ModelView> {
  const m = await loadModel(locator, name, more);
  return new ModelView(m.model, m.version, m.config, m.resolved, 'shown');
}

/** `%model versions` / `sq.model.versions`. */
export async function modelVersions(locator: SidecarLocator, name: string): Promise<ModelVersionList> {
  const { client } = await connectSidecar(locator);
  const model = await requireModel(client, name);
  return new ModelVersionList(model, await listModelVersions(client, model.id));
}
