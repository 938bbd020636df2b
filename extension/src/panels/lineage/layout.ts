/** Merges up/down lineage graphs and lays them out in columns by signed distance from the root (pure). */
import type { LineageGraph, LineageNode } from '../common/api';

export interface Ref {
  type: string;
  id: string;
}

export interface GraphNode {
  type: string;
  id: string;
  /** Negative upstream (what the root came from), 0 the root, positive downstream. */
  level: number;
  hashes: { hash_type: string; hash: string }[];
  /** A label for nodes the sidecar does not model as entities (a sweep's combination). */
  label?: string;
}

export interface Graph {
  root: Ref;
  nodes: GraphNode[];
  edges: { from: Ref; to: Ref }[];
  truncated: boolean;
}

export const key = (r: Ref): string => `${r.type}:${r.id}`;

/** The union of the upstream and downstream walks from one root (edges deduplicated). */
export function mergeGraphs(up: LineageGraph, down: LineageGraph): Graph {
  const nodes = new Map<string, GraphNode>();
  const add = (n: LineageNode, sign: number): void => {
    const k = key(n);
    const level = n.depth === 0 ? 0 : sign * n.depth;
    const cur = nodes.get(k);
    if (cur === undefined || Math.abs(level) < Math.abs(cur.level)) nodes.set(k, { type: n.type, id: n.id, level, hashes: n.hashes });
  };
  for (const n of up.nodes) add(n, -1);
  for (const n of down.nodes) add(n, 1);
  if (!nodes.has(key(up.root))) nodes.set(key(up.root), { ...up.root, level: 0, hashes: [] });
  const edges = new Map<string, { from: Ref; to: Ref }>();
  for (const e of [...up.edges, ...down.edges]) edges.set(`${key(e.from)}>${key(e.to)}`, { from: e.from, to: e.to });
  return { root: up.root, nodes: [...nodes.values()], edges: [...edges.values()], truncated: up.truncated || down.truncated };
}

export interface Placed extends GraphNode {
  x: number;
  y: number;
}

export const NODE_W = 200;
export const NODE_H = 64;
const GAP_X = 70;
const GAP_Y = 18;

/** Columns by level (left = upstream), rows sorted by type then id within a column. */
export function layout(g: Graph): { nodes: Placed[]; width: number; height: number } {
  const levels = [...new Set(g.nodes.map((n) => n.level))].sort((a, b) => a - b);
  const minLevel = levels[0] ?? 0;
  const byLevel = new Map<number, GraphNode[]>();
  for (const n of g.nodes) (byLevel.get(n.level) ?? byLevel.set(n.level, []).get(n.level))?.push(n);
  let rows = 0;
  const placed: Placed[] = [];
  for (const [level, ns] of byLevel) {
    ns.sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
    rows = Math.max(rows, ns.length);
    ns.forEach((n, i) => placed.push({ ...n, x: 20 + (level - minLevel) * (NODE_W + GAP_X), y: 20 + i * (NODE_H + GAP_Y) }));
  }
  const cols = levels.length === 0 ? 1 : (levels[levels.length - 1] ?? 0) - minLevel + 1;
  return { nodes: placed, width: 40 + cols * NODE_W + (cols - 1) * GAP_X, height: 40 + rows * NODE_H + Math.max(0, rows - 1) * GAP_Y };
}
