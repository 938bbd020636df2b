import { displayOf } from '../display/mime.js';
import { LINEAGE_TYPES, loadLineage } from '../notebook/lineage.js';
import { parseMagicArgs, stringFlag } from './args.js';
import { type Magic, usageError } from './registry.js';

const FLAGS = [
  { name: 'direction', type: 'string', description: 'both (default), up or down' },
  { name: 'depth', type: 'string', description: 'edges followed each way, 1..50 (default 20)' },
] as const;

export const lineageMagic: Magic = {
  name: 'lineage',
  summary: 'The upstream/downstream lineage graph of a pack, model, snapshot, sweep, combination or run, with hashes',
  usage: '%lineage <type> <id> [--direction both|up|down] [--depth N]',
  help:
    `Draws what <type> <id> came from (left) and what came from it (right), from the sidecar's lineage links, each node ` +
    'with its label and hashes (config, data, artifact); the table under the picture has full ids and hashes.\n' +
    `<type>: ${LINEAGE_TYPES.join(', ')}. <id>: the sidecar id; a sweep also by tag or latest; a model also by name; ` +
    'a combination as <sweep>:<combo_id> or <sweep>:best (the rank-1 kept combination), e.g. %lineage combination latest:best.\n' +
    'Notebook API: await sq.lineage(type, id, { direction, depth }) returns the LineageGraph (nodes, edges, find, upstream, downstream).',
  forms: ['line'],
  async run({ args, kernel }) {
    const parsed = parseMagicArgs(lineageMagic, args, FLAGS);
    const [type, id, extra] = parsed.positionals;
    if (type === undefined) throw usageError(lineageMagic, `needs <type> (${LINEAGE_TYPES.join(', ')}) and <id>`);
    if (!(LINEAGE_TYPES as readonly string[]).includes(type)) throw usageError(lineageMagic, `unknown type "${type}" (${LINEAGE_TYPES.join(', ')})`);
    if (id === undefined) throw usageError(lineageMagic, `needs <id> after ${type}`);
    if (extra !== undefined) throw usageError(lineageMagic, `unexpected argument "${extra}"`);
    const direction = stringFlag(parsed, 'direction');
    if (direction !== undefined && direction !== 'both' && direction !== 'up' && direction !== 'down') {
      throw usageError(lineageMagic, `--direction must be both, up or down, got "${direction}"`);
    }
    const depthText = stringFlag(parsed, 'depth');
    if (depthText !== undefined && (!/^\d+$/.test(depthText) || Number(depthText) < 1 || Number(depthText) > 50)) {
      throw usageError(lineageMagic, `--depth must be an integer in [1, 50], got "${depthText}"`);
    }
    const graph = await loadLineage(kernel.sidecar, type, id, {
      ...(direction === undefined ? {} : { direction }), ...(depthText === undefined ? {} : { depth: Number(depthText) }),
    });
    return displayOf(graph);
  },
};
