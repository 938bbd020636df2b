import { describe, expect, it } from 'vitest';
import { type LineageEdge, type LineageNode, lineageSvg, lineageText } from './lineage-svg.js';

const n = (type: string, id: string, level: number, label = id, hashes: LineageNode['hashes'] = []): LineageNode => ({ type, id, level, label, hashes });
const e = (a: LineageNode, b: LineageNode): LineageEdge => ({ from: { type: a.type, id: a.id }, to: { type: b.type, id: b.id } });

describe('lineage picture', () => {
  const pack = n('pack', 'p1', -2, 'swing 1.0.0', [{ hash_type: 'config', hash: 'a'.repeat(64) }]);
  const mv = n('model_version', 'v1', -1, 'v1');
  const snap = n('data_snapshot', 's1', -1, 'SPX <1d> & "co"', [{ hash_type: 'data', hash: 'b'.repeat(64) }]);
  const sweep = n('sweep', 'w1', 0, 'grid');
  const run = n('run', 'r1', 1, 'run completed');
  const g = { root: { type: 'sweep', id: 'w1' }, nodes: [run, sweep, snap, pack, mv], edges: [e(pack, mv), e(mv, sweep), e(snap, sweep), e(sweep, run), e(snap, run)], truncated: false };

  it('one column per level, left to right, centred; size from the tallest column (hand-computed)', () => {
    const svg = lineageSvg(g);
    // 4 columns (levels -2..1): width = 2·16 + 4·236 + 3·64 = 1168; tallest column 2 nodes: height = 2·16 + 2·66 + 14 = 178.
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1168" height="178"/);
    // Column 1 (level -1) holds data_snapshot then model_version (sorted by type) at x = 16 + 300 = 316, y = 16 and 96.
    expect(svg).toContain('<rect x="316" y="16"');
    expect(svg).toContain('<rect x="316" y="96"');
    // Single-node columns are centred: y = 16 + (146 - 66) / 2 = 56.
    expect(svg).toContain('<rect x="16" y="56"');
    // The root is drawn with a thicker border and marked.
    expect(svg).toContain('sweep (root)');
    expect((svg.match(/stroke-width="3"/g) ?? []).length).toBe(1);
    expect((svg.match(/class="sq-edge"/g) ?? []).length).toBe(5);
  });

  it('escapes labels and shows 12-digit hash prefixes; the full hash only in the tooltip', () => {
    const svg = lineageSvg(g);
    expect(svg).toContain('SPX &lt;1d&gt; &amp; &quot;co&quot;');
    expect(svg).not.toContain('SPX <1d>');
    expect(svg).toContain(`data ${'b'.repeat(12)}</text>`);
    expect(svg).toContain(`data ${'b'.repeat(64)}</title>`);
  });

  it('is deterministic whatever the order of nodes and edges', () => {
    const shuffled = { ...g, nodes: [...g.nodes].reverse(), edges: [...g.edges].reverse() };
    expect(lineageSvg(shuffled)).toBe(lineageSvg(g));
    expect(lineageText(shuffled)).toBe(lineageText(g));
  });

  it('an edge inside one column bows out to the right', () => {
    const a = n('sweep', 'x', 1);
    const b = n('run', 'y', 1);
    const svg = lineageSvg({ root: { type: 'sweep', id: 'x' }, nodes: [a, b], edges: [e(a, b)], truncated: true });
    expect(svg).toMatch(/<path d="M252,\d+ C292,/);
    expect(svg).toContain('truncated');
  });

  it('text twin lists nodes by level with hash prefixes, then the edges', () => {
    const text = lineageText(g);
    expect(text.split('\n')[0]).toBe('Lineage of sweep w1: 5 nodes, 5 edges');
    expect(text).toContain(`  [-2] pack swing 1.0.0 (p1) — config ${'a'.repeat(12)}`);
    expect(text).toContain('  [+1] run run completed (r1)');
    expect(text).toContain('  pack swing 1.0.0 -> model_version v1');
  });
});
