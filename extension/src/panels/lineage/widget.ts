import type { ISidecarConnection } from '../../tokens';
import type { Combination, LineageGraph, Page } from '../common/api';
import { allPages } from '../common/api';
import { SidecarPanel, button, h } from '../common/view';
import { type Graph, NODE_H, NODE_W, type Ref, key, layout, mergeGraphs } from './layout';

/** Entity types the sidecar keeps lineage for, plus `combination` (`<sweep id>/<combo id>`), shown under its sweep. */
export const LINEAGE_TYPES = ['model', 'model_version', 'sweep', 'combination', 'data_snapshot', 'run', 'pack', 'indicator_set', 'policy'] as const;

export interface LineageState {
  root: Ref | null;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Lineage panel: the upstream and downstream graph of any object from GET /v1/lineage/{type}/{id}, with its
 * hashes; clicking a node re-centres the graph on it (navigation along edges).
 */
export class LineagePanel extends SidecarPanel {
  private state: LineageState;
  private graph: Graph | null = null;
  private readonly typeSelect = h('select', { class: 'sq-LineageType', 'aria-label': 'Object type' });
  private readonly idInput = h('input', { class: 'sq-LineageId', type: 'text', placeholder: 'id (combination: <sweep id>/<combo id>)' });
  private readonly history: Ref[] = [];
  private readonly backButton = button('Back', () => void this.back(), { 'data-action': 'back' });
  private readonly caption = h('div', { class: 'sq-LineageCaption' });
  private readonly canvas = h('div', { class: 'sq-LineageCanvas' });

  constructor(
    sidecar: ISidecarConnection,
    initial: Partial<LineageState>,
    private readonly onStateChanged: (state: LineageState) => void,
  ) {
    super(sidecar);
    this.addClass('sq-LineagePanel');
    this.id = 'sigmatiq-lineage';
    this.title.label = 'Sigmatiq Lineage';
    this.title.closable = true;
    for (const t of LINEAGE_TYPES) this.typeSelect.append(h('option', { value: t }, t));
    this.state = { root: initial.root ?? null };
    if (this.state.root !== null) {
      this.typeSelect.value = this.state.root.type;
      this.idInput.value = this.state.root.id;
    }
    const show = (): void => {
      const id = this.idInput.value.trim();
      if (id !== '') void this.centre({ type: this.typeSelect.value, id });
    };
    this.idInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') show();
    });
    this.toolbarNode.append(this.typeSelect, this.idInput, button('Show', show, { 'data-action': 'show' }), this.backButton);
    this.bodyNode.append(this.caption, this.canvas);
    this.backButton.disabled = true;
    void this.refresh();
  }

  get currentState(): LineageState {
    return this.state;
  }

  async refresh(): Promise<void> {
    if (this.state.root === null) {
      this.caption.textContent = 'Pick an object type and id (a model, model version, sweep, combination, data snapshot or run).';
      return;
    }
    await this.load(this.state.root);
  }

  /** Shows the graph around `root` (remembering the previous root for Back). */
  async centre(root: Ref): Promise<void> {
    if (this.state.root !== null && key(this.state.root) !== key(root)) this.history.push(this.state.root);
    this.backButton.disabled = this.history.length === 0;
    await this.load(root);
  }

  private async back(): Promise<void> {
    const prev = this.history.pop();
    this.backButton.disabled = this.history.length === 0;
    if (prev !== undefined) await this.load(prev);
  }

  private async fetchGraph(root: Ref): Promise<Graph> {
    const walk = async (r: Ref): Promise<Graph> => {
      const base = `v1/lineage/${encodeURIComponent(r.type)}/${encodeURIComponent(r.id)}`;
      const [up, down] = await Promise.all([this.sidecar.json<LineageGraph>(`${base}?direction=up`), this.sidecar.json<LineageGraph>(`${base}?direction=down`)]);
      return mergeGraphs(up, down);
    };
    if (root.type !== 'combination') return walk(root);
    // A combination is a row of its sweep, not a lineage entity: its graph is the sweep's, one step further down.
    const slash = root.id.lastIndexOf('/');
    const sweepId = root.id.slice(0, slash);
    const comboId = Number(root.id.slice(slash + 1));
    if (slash <= 0 || !Number.isInteger(comboId)) throw new Error(`A combination id is <sweep id>/<combo id>, got '${root.id}'.`);
    const [g, combos] = await Promise.all([walk({ type: 'sweep', id: sweepId }), allPages((p) => this.sidecar.json<Page<Combination>>(p), `v1/sweeps/${encodeURIComponent(sweepId)}/combinations`)]);
    const combo = combos.find((c) => c.combo_id === comboId);
    if (combo === undefined) throw new Error(`Sweep ${sweepId} has no combination ${comboId}.`);
    const nodes = g.nodes.map((n) => ({ ...n, level: n.level - 1 }));
    const params = Object.entries(combo.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    nodes.push({ type: 'combination', id: root.id, level: 0, hashes: [{ hash_type: 'config', hash: combo.config_hash }], label: params });
    return { root, nodes, edges: [...g.edges, { from: { type: 'sweep', id: sweepId }, to: root }], truncated: g.truncated };
  }

  private async load(root: Ref): Promise<void> {
    this.state = { root };
    this.onStateChanged(this.state);
    this.typeSelect.value = root.type;
    this.idInput.value = root.id;
    this.caption.textContent = `Loading the lineage of ${root.type} ${root.id}…`;
    const g = await this.guard(() => this.fetchGraph(root));
    if (g === undefined) {
      this.caption.textContent = '';
      this.canvas.replaceChildren();
      return;
    }
    this.graph = g;
    this.draw();
  }

  private draw(): void {
    const g = this.graph;
    if (g === null) return;
    const { nodes, width, height } = layout(g);
    this.caption.textContent = `${g.root.type} ${g.root.id}: ${nodes.length} objects, ${g.edges.length} links (upstream on the left; click an object to centre on it)${g.truncated ? ' — truncated' : ''}`;
    const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'sq-LineageSvg' });
    const defs = svg('defs', {});
    const marker = svg('marker', { id: 'sq-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'sq-LineageArrow' }));
    defs.append(marker);
    root.append(defs);
    const at = new Map(nodes.map((n) => [key(n), n]));
    for (const e of g.edges) {
      const a = at.get(key(e.from));
      const b = at.get(key(e.to));
      if (a === undefined || b === undefined) continue;
      const [x1, y1, x2, y2] = a.x <= b.x ? [a.x + NODE_W, a.y + NODE_H / 2, b.x, b.y + NODE_H / 2] : [a.x, a.y + NODE_H / 2, b.x + NODE_W, b.y + NODE_H / 2];
      const mx = (x1 + x2) / 2;
      root.append(svg('path', { d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`, class: 'sq-LineageEdge', 'marker-end': 'url(#sq-arrow)' }));
    }
    for (const n of nodes) {
      const isRoot = key(n) === key(g.root);
      const group = svg('g', { class: `sq-LineageNode${isRoot ? ' sq-root' : ''}`, transform: `translate(${n.x},${n.y})`, 'data-type': n.type, 'data-id': n.id });
      group.append(svg('rect', { width: NODE_W, height: NODE_H, rx: 6 }));
      const line = (y: number, text: string, cls: string): void => {
        const t = svg('text', { x: 8, y, class: cls });
        t.textContent = text.length > 30 ? `${text.slice(0, 29)}…` : text;
        group.append(t);
      };
      line(16, n.type, 'sq-LineageType');
      line(32, n.label ?? n.id, 'sq-LineageIdText');
      const hash = n.hashes[0];
      line(50, hash === undefined ? 'no hash recorded' : `${hash.hash_type} ${hash.hash.slice(0, 16)}…`, 'sq-LineageHash');
      const title = svg('title', {});
      title.textContent = [`${n.type} ${n.id}`, ...n.hashes.map((x) => `${x.hash_type}: ${x.hash}`)].join('\n');
      group.append(title);
      if (!isRoot) group.addEventListener('click', () => void this.centre({ type: n.type, id: n.id }));
      root.append(group);
    }
    this.canvas.replaceChildren(root);
  }
}
