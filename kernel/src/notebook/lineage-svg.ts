/**
 * Draws a lineage graph: one column per level (upstream left, the root in the middle, downstream
 * right), nodes as boxes with type, label and hash prefixes, edges as arrows from upstream to
 * downstream. Pure and deterministic (same graph → same SVG bytes); no Node APIs.
 */
import { escapeHtml } from '../display/mime.js';

export interface LineageNode {
  type: string;
  id: string;
  /** Negative = upstream of the root (what it came from), positive = downstream, 0 = the root. */
  level: number;
  label: string;
  hashes: { hash_type: string; hash: string }[];
}

export interface LineageEdge {
  from: { type: string; id: string };
  to: { type: string; id: string };
}


interface GraphLike {
  readonly root: { type: string; id: string };
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  readonly truncated: boolean;
}

const W = 236;
const H = 66;
const COL_GAP = 64;
const ROW_GAP = 14;
const PAD = 16;
const HASH_CHARS = 12;

const COLOURS: Readonly<Record<string, string>> = {
  pack: '#7b61ff', model: '#1f77b4', model_version: '#2a9fd6', data_snapshot: '#2ca02c', sweep: '#ff7f0e',
  combination: '#d62728', run: '#8c564b', indicator_set: '#17becf', policy: '#bcbd22',
};

const key = (n: { type: string; id: string }): string => `${n.type}\u0000${n.id}`;

/** Nodes sorted into columns by level; within a column by type, then label, then id. */
function columns(nodes: readonly LineageNode[]): LineageNode[][] {
  const levels = [...new Set(nodes.map((n) => n.level))].sort((a, b) => a - b);
  return levels.map((l) =>
    nodes.filter((n) => n.level === l).sort((a, b) => a.type.localeCompare(b.type) || a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
  );
}

function trim(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function lineageSvg(g: GraphLike): string {
  const cols = columns(g.nodes);
  const tallest = Math.max(1, ...cols.map((c) => c.length));
  const width = PAD * 2 + cols.length * W + Math.max(0, cols.length - 1) * COL_GAP;
  const height = PAD * 2 + tallest * H + (tallest - 1) * ROW_GAP + (g.truncated ? 18 : 0);
  const pos = new Map<string, { x: number; y: number }>();
  cols.forEach((col, ci) => {
    const colHeight = col.length * H + (col.length - 1) * ROW_GAP;
    const top = PAD + (tallest * H + (tallest - 1) * ROW_GAP - colHeight) / 2;
    col.forEach((n, ri) => pos.set(key(n), { x: PAD + ci * (W + COL_GAP), y: top + ri * (H + ROW_GAP) }));
  });
  const edgeKey = (e: LineageEdge): string => `${key(e.from)}>${key(e.to)}`;
  const edges = [...g.edges]
    .sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0))
    .map((e) => {
      const a = pos.get(key(e.from));
      const b = pos.get(key(e.to));
      if (a === undefined || b === undefined) return '';
      if (a.x === b.x) {
        // Same column: a bow on the right side.
        const x = a.x + W;
        const y1 = a.y + H / 2;
        const y2 = b.y + H / 2;
        return `<path d="M${x},${y1} C${x + 40},${y1} ${x + 40},${y2} ${x + 4},${y2}" class="sq-edge" marker-end="url(#sq-arrow)"/>`;
      }
      const [x1, y1, x2, y2] = a.x < b.x ? [a.x + W, a.y + H / 2, b.x - 4, b.y + H / 2] : [a.x, a.y + H / 2, b.x + W + 4, b.y + H / 2];
      const mx = (x1 + x2) / 2;
      return `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" class="sq-edge" marker-end="url(#sq-arrow)"/>`;
    })
    .join('');
  const isRoot = (n: LineageNode): boolean => n.type === g.root.type && n.id === g.root.id;
  const boxes = cols
    .flat()
    .map((n) => {
      const p = pos.get(key(n));
      if (p === undefined) return '';
      const colour = COLOURS[n.type] ?? '#7f7f7f';
      const hashes = n.hashes.slice(0, 2).map((h, i) => `<text x="${p.x + 10}" y="${p.y + 47 + i * 13}" class="sq-hash">${escapeHtml(h.hash_type)} ${escapeHtml(h.hash.slice(0, HASH_CHARS))}</text>`).join('');
      const title = `${n.type} ${n.id}${n.hashes.map((h) => `\n${h.hash_type} ${h.hash}`).join('')}`;
      return (
        `<g><title>${escapeHtml(title)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${colour}" fill-opacity="0.12" stroke="${colour}" stroke-width="${isRoot(n) ? 3 : 1.2}"/>` +
        `<text x="${p.x + 10}" y="${p.y + 16}" class="sq-type" fill="${colour}">${escapeHtml(n.type)}${isRoot(n) ? ' (root)' : ''}</text>` +
        `<text x="${p.x + 10}" y="${p.y + 32}" class="sq-label">${escapeHtml(trim(n.label, 34))}</text>${hashes}</g>`
      );
    })
    .join('');
  const note = g.truncated ? `<text x="${PAD}" y="${height - 6}" class="sq-hash">truncated: the depth or node cap cut the walk</text>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">` +
    '<style>.sq-edge{fill:none;stroke:#888;stroke-width:1.4}.sq-type{font-size:11px;font-weight:bold}.sq-label{font-size:13px;fill:currentColor}.sq-hash{font-size:10px;font-family:monospace;fill:#888}</style>' +
    '<defs><marker id="sq-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>' +
    `${edges}${boxes}${note}</svg>`
  );
}

/** The text/plain twin: nodes by level with hash prefixes, then the edges. */
export function lineageText(g: GraphLike): string {
  const name = (n: { type: string; id: string }): string => {
    const node = g.nodes.find((x) => key(x) === key(n));
    return `${n.type} ${node?.label ?? n.id.slice(0, 8)}`;
  };
  const lines = [`Lineage of ${g.root.type} ${g.root.id}: ${g.nodes.length} nodes, ${g.edges.length} edges${g.truncated ? ' (truncated)' : ''}`];
  for (const col of columns(g.nodes)) {
    for (const n of col) {
      const hashes = n.hashes.map((h) => `${h.hash_type} ${h.hash.slice(0, HASH_CHARS)}`).join(', ');
      lines.push(`  [${n.level > 0 ? '+' : ''}${n.level}] ${n.type} ${n.label} (${n.id})${hashes === '' ? '' : ` — ${hashes}`}`);
    }
  }
  const edges = g.edges.map((e) => `  ${name(e.from)} -> ${name(e.to)}`).sort();
  return [...lines, 'edges:', ...edges].join('\n');
}
