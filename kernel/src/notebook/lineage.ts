/**
 * The lineage half of the notebook API and of `%lineage`: the upstream and downstream graph of an
 * entity (sidecar `GET /v1/lineage/{type}/{id}`, both directions merged), each node with its
 * hashes and a readable label, drawn as an SVG picture (lineage-svg.ts).
 *
 * A combination (`<sweep>:<combo_id>` or `<sweep>:best`) is not a sidecar entity: its graph is its
 * sweep's upstream graph plus the combination node (its config hash) under the sweep.
 */
import { SigmatiqError } from '@sigmatiq/engine';
import { expectOk, type SigmatiqClient } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { bundle, type DisplayOutput, type Displayable, escapeHtml, toMimeBundle } from '../display/mime.js';
import { type LineageEdge, type LineageNode, lineageSvg, lineageText } from './lineage-svg.js';

export type { LineageEdge, LineageNode } from './lineage-svg.js';
import { rankCombinations } from './leaderboard.js';
import { clientOf, resolveSweep, sweepCombinations } from './sweep-lookup.js';

/** Entity types the sidecar links (docs/http-api.md, "Lineage model"). */
export const SIDECAR_ENTITY_TYPES = ['pack', 'model', 'model_version', 'data_snapshot', 'sweep', 'run', 'indicator_set', 'policy', 'training_job', 'trained_model', 'validation'] as const;
export type SidecarEntityType = (typeof SIDECAR_ENTITY_TYPES)[number];
export const LINEAGE_TYPES = [...SIDECAR_ENTITY_TYPES, 'combination'] as const;
export type LineageType = (typeof LINEAGE_TYPES)[number];

export interface LineageOptions {
  /** `both` (default), `up` (what it came from) or `down` (what came from it). */
  direction?: 'both' | 'up' | 'down';
  /** Edges followed from the root in each direction (1..50, default 20). */
  depth?: number;
}

interface SidecarGraph {
  root: { type: string; id: string };
  truncated: boolean;
  nodes: { type: string; id: string; depth: number; hashes: { hash_type: string; hash: string }[] }[];
  edges: { id: string; from: { type: string; id: string }; to: { type: string; id: string } }[];
}

const key = (n: { type: string; id: string }): string => `${n.type}\u0000${n.id}`;

/** The result of `sq.lineage(type, id)` / `%lineage`. */
export class LineageGraph implements Displayable {
  constructor(
    readonly root: { type: string; id: string },
    readonly nodes: readonly LineageNode[],
    readonly edges: readonly LineageEdge[],
    /** True when the sidecar's depth or node cap cut the walk. */
    readonly truncated: boolean,
  ) {}

  /** The node of `type` (and `id` when given), if in the graph. */
  find(type: string, id?: string): LineageNode | undefined {
    return this.nodes.find((n) => n.type === type && (id === undefined || n.id === id));
  }

  upstream(): LineageNode[] {
    return this.nodes.filter((n) => n.level < 0);
  }

  downstream(): LineageNode[] {
    return this.nodes.filter((n) => n.level > 0);
  }

  [toMimeBundle](): DisplayOutput {
    const svg = lineageSvg(this);
    const rows = [...this.nodes]
      .sort((a, b) => a.level - b.level || a.type.localeCompare(b.type) || a.id.localeCompare(b.id))
      .map((n) => `<tr><td>${n.level}</td><td>${escapeHtml(n.type)}</td><td>${escapeHtml(n.label)}</td><td><code>${escapeHtml(n.id)}</code></td><td>${n.hashes.map((h) => `${escapeHtml(h.hash_type)} <code>${escapeHtml(h.hash)}</code>`).join('<br>')}</td></tr>`)
      .join('');
    const html =
      `<div class="sq-lineage">${svg}` +
      `<details><summary>${this.nodes.length} nodes, ${this.edges.length} edges${this.truncated ? ' (truncated)' : ''}: ids and full hashes</summary>` +
      `<table class="sq-table"><thead><tr><th>level</th><th>type</th><th>label</th><th>id</th><th>hashes</th></tr></thead><tbody>${rows}</tbody></table></details></div>`;
    return bundle({ 'text/plain': lineageText(this), 'text/html': html, 'image/svg+xml': svg });
  }
}

async function graphOf(client: SigmatiqClient, type: SidecarEntityType, id: string, direction: 'up' | 'down', depth: number): Promise<SidecarGraph> {
  const res = await client.v1.lineage[':type'][':id'].$get({ param: { type, id }, query: { direction, depth: String(depth) } });
  if ((res.status as number) === 404) throw new SigmatiqError('LINEAGE_NOT_FOUND', `no ${type} ${id} in the sidecar`, { param: 'id', type, id });
  return expectOk<SidecarGraph>(res, `lineage of ${type} ${id}`);
}

async function getJson(res: { ok: boolean; json(): Promise<unknown> }): Promise<Record<string, unknown> | null> {
  return res.ok ? ((await res.json()) as Record<string, unknown>) : null;
}

/** A short readable label per node type (name, version, tag); the id prefix when the entity has none. */
async function labelOf(client: SigmatiqClient, n: { type: string; id: string }): Promise<string> {
  const short = n.id.slice(0, 8);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  switch (n.type) {
    case 'pack': {
      const p = await getJson(await client.v1.packs[':id'].$get({ param: { id: n.id } }));
      return p === null ? short : `${str(p['name']) ?? short} ${str(p['version']) ?? ''}`.trim();
    }
    case 'model': {
      const m = await getJson(await client.v1.models[':id'].$get({ param: { id: n.id } }));
      return str(m?.['name']) ?? short;
    }
    case 'model_version': {
      const v = await getJson(await client.v1['model-versions'][':id'].$get({ param: { id: n.id } }));
      return v === null ? short : `v${str(v['version']) ?? '?'}`;
    }
    case 'data_snapshot': {
      const s = await getJson(await client.v1['data-snapshots'][':id'].$get({ param: { id: n.id } }));
      return str(s?.['name']) ?? short;
    }
    case 'sweep': {
      const s = await getJson(await client.v1.sweeps[':id'].$get({ param: { id: n.id } }));
      return s === null ? short : `${str(s['tag']) ?? `${str(s['type']) ?? ''} ${short}`.trim()}`;
    }
    case 'run': {
      const r = await getJson(await client.v1.runs[':id'].$get({ param: { id: n.id } }));
      return r === null ? short : `run ${str(r['status']) ?? ''}`.trim();
    }
    default:
      return short;
  }
}

const MAX_LABELS = 60;

async function assemble(client: SigmatiqClient, root: { type: string; id: string }, graphs: { g: SidecarGraph; sign: number; shift: number }[], extra: LineageNode[] = [], extraEdges: LineageEdge[] = []): Promise<LineageGraph> {
  const nodes = new Map<string, Omit<LineageNode, 'label'>>();
  const edges = new Map<string, LineageEdge>();
  for (const n of extra) nodes.set(key(n), n);
  for (const { g, sign, shift } of graphs) {
    for (const n of g.nodes) {
      const k = key(n);
      if (!nodes.has(k)) nodes.set(k, { type: n.type, id: n.id, level: sign * (n.depth + shift) || 0, hashes: n.hashes });
    }
    for (const e of g.edges) edges.set(`${key(e.from)}>${key(e.to)}`, { from: e.from, to: e.to });
  }
  for (const e of extraEdges) edges.set(`${key(e.from)}>${key(e.to)}`, e);
  const list = [...nodes.values()];
  const labels = await Promise.all(list.map((n, i) => {
    const given = extra.find((x) => key(x) === key(n))?.label;
    if (given !== undefined) return Promise.resolve(given);
    return i < MAX_LABELS ? labelOf(client, n) : Promise.resolve(n.id.slice(0, 8));
  }));
  const out = list.map((n, i) => ({ ...n, label: labels[i] ?? n.id.slice(0, 8) }));
  return new LineageGraph(root, out, [...edges.values()], graphs.some((x) => x.g.truncated));
}

function checkOptions(type: string, opts: LineageOptions): { direction: 'both' | 'up' | 'down'; depth: number } {
  if (!(LINEAGE_TYPES as readonly string[]).includes(type)) {
    throw new SigmatiqError('LINEAGE_TYPE_UNKNOWN', `unknown entity type "${type}" (${LINEAGE_TYPES.join(', ')})`, { param: 'type', value: type });
  }
  const direction = opts.direction ?? 'both';
  if (!['both', 'up', 'down'].includes(direction)) throw new SigmatiqError('LINEAGE_OPTION_INVALID', `direction must be both, up or down, got ${String(direction)}`, { param: 'direction', value: direction });
  const depth = opts.depth ?? 20;
  if (!Number.isInteger(depth) || depth < 1 || depth > 50) throw new SigmatiqError('LINEAGE_OPTION_INVALID', `depth must be an integer in [1, 50], got ${String(depth)}`, { param: 'depth', value: depth });
  return { direction, depth };
}

/** `<sweep>:<combo_id|best>` → the combination node, linked under its sweep, with the sweep's upstream graph. */
async function combinationLineage(client: SigmatiqClient, ref: string, depth: number): Promise<LineageGraph> {
  const at = ref.lastIndexOf(':');
  const sweepRef = at <= 0 ? '' : ref.slice(0, at);
  const comboRef = at < 0 ? '' : ref.slice(at + 1);
  if (sweepRef === '' || !(comboRef === 'best' || /^\d+$/.test(comboRef))) {
    throw new SigmatiqError('LINEAGE_ID_INVALID', `a combination is <sweep>:<combo_id> or <sweep>:best (sweep = id, tag or latest), got "${ref}"`, { param: 'id', value: ref });
  }
  const sweep = await resolveSweep(client, sweepRef);
  const combos = await sweepCombinations(client, sweep.id);
  const combo = comboRef === 'best' ? rankCombinations(combos)[0] : combos.find((c) => c.combo_id === Number(comboRef));
  if (combo === undefined) {
    throw new SigmatiqError('COMBINATION_NOT_FOUND', `sweep ${sweep.id} has no ${comboRef === 'best' ? 'kept combination' : `combination ${comboRef}`}`, { param: 'id', sweep_id: sweep.id, combo: comboRef });
  }
  const rootNode = { type: 'combination', id: `${sweep.id}:${combo.combo_id}` };
  const params = Object.entries(combo.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const node: LineageNode = { ...rootNode, level: 0, label: `#${combo.combo_id} ${params}`.slice(0, 60), hashes: [{ hash_type: 'config', hash: combo.config_hash }] };
  const up = await graphOf(client, 'sweep', sweep.id, 'up', Math.max(1, depth - 1));
  return assemble(client, rootNode, [{ g: up, sign: -1, shift: 1 }], [node], [{ from: { type: 'sweep', id: sweep.id }, to: rootNode }]);
}

/** The resolved id of a sidecar entity: sweeps by id, tag or `latest`; models by id or name; others by id. */
async function resolveId(client: SigmatiqClient, type: SidecarEntityType, ref: string): Promise<string> {
  if (type === 'sweep') return (await resolveSweep(client, ref)).id;
  if (type === 'model' && !/^[0-9a-f-]{36}$/i.test(ref)) {
    const page = await expectOk<{ items: { id: string; name: string }[] }>(await client.v1.models.$get({ query: { limit: '500', offset: '0' } }), 'list models');
    const found = page.items.filter((m) => m.name === ref);
    const last = found[found.length - 1];
    if (last === undefined) throw new SigmatiqError('LINEAGE_NOT_FOUND', `no model named "${ref}" in the sidecar`, { param: 'id', type, id: ref });
    return last.id;
  }
  return ref;
}

/** The lineage graph of `type` `ref` (see the module comment for combination refs). */
export async function loadLineage(locator: SidecarLocator, type: string, ref: string, opts: LineageOptions = {}): Promise<LineageGraph> {
  const { direction, depth } = checkOptions(type, opts);
  if (ref.trim() === '') throw new SigmatiqError('LINEAGE_ID_INVALID', 'an id is required', { param: 'id' });
  const client = await clientOf(locator);
  if (type === 'combination') return combinationLineage(client, ref, depth);
  const t = type as SidecarEntityType;
  const id = await resolveId(client, t, ref);
  const graphs: { g: SidecarGraph; sign: number; shift: number }[] = [];
  if (direction !== 'down') graphs.push({ g: await graphOf(client, t, id, 'up', depth), sign: -1, shift: 0 });
  if (direction !== 'up') graphs.push({ g: await graphOf(client, t, id, 'down', depth), sign: 1, shift: 0 });
  return assemble(client, { type: t, id }, graphs);
}
