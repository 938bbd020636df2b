import { describe, expect, it } from 'vitest';
import type { LineageGraph } from '../common/api';
import { NODE_W, layout, mergeGraphs } from './layout';

const n = (type: string, id: string, depth: number) => ({ type, id, depth, hashes: [] });
const e = (ft: string, fi: string, tt: string, ti: string) => ({ id: `${fi}>${ti}`, from: { type: ft, id: fi }, to: { type: tt, id: ti } });

describe('lineage layout', () => {
  const up: LineageGraph = {
    root: { type: 'sweep', id: 's' }, direction: 'up', truncated: false,
    nodes: [n('sweep', 's', 0), n('model_version', 'mv', 1), n('data_snapshot', 'd', 1), n('model', 'm', 2)],
    edges: [e('model_version', 'mv', 'sweep', 's'), e('data_snapshot', 'd', 'sweep', 's'), e('model', 'm', 'model_version', 'mv')],
  };
  const down: LineageGraph = { root: { type: 'sweep', id: 's' }, direction: 'down', truncated: true, nodes: [n('sweep', 's', 0), n('run', 'r', 1)], edges: [e('sweep', 's', 'run', 'r')] };

  it('merges both walks: upstream at negative levels, downstream positive, edges once', () => {
    const g = mergeGraphs(up, down);
    const level = Object.fromEntries(g.nodes.map((x) => [x.id, x.level]));
    expect(level).toEqual({ s: 0, mv: -1, d: -1, m: -2, r: 1 });
    expect(g.edges).toHaveLength(4);
    expect(g.truncated).toBe(true);
  });

  it('places columns left to right by level and stacks a column by type', () => {
    const { nodes, width } = layout(mergeGraphs(up, down));
    const x = Object.fromEntries(nodes.map((p) => [p.id, p.x]));
    expect(x['m']).toBeLessThan(x['mv'] ?? 0);
    expect(x['mv']).toBe(x['d']);
    expect(x['s']).toBeLessThan(x['r'] ?? 0);
    const col = nodes.filter((p) => p.level === -1).sort((a, b) => a.y - b.y).map((p) => p.type);
    expect(col).toEqual(['data_snapshot', 'model_version']);
    expect(width).toBeGreaterThanOrEqual(4 * NODE_W);
  });
});
