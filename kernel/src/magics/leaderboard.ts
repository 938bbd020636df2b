import { displayOf } from '../display/mime.js';
import { loadLeaderboard } from '../notebook/leaderboard.js';
import { GATES, type Gate } from '../notebook/sweep-lookup.js';
import { parseMagicArgs, stringFlag } from './args.js';
import { type Magic, usageError } from './registry.js';

const FLAGS = [
  { name: 'top', type: 'string', description: 'rows shown (default 20)' },
  { name: 'gate', type: 'string', description: 'comma-separated gate statuses to show: PASS,MARGINAL,FAIL' },
  { name: 'heatmap', type: 'string', description: 'two parameters X,Y for the heatmap' },
] as const;

export const leaderboardMagic: Magic = {
  name: 'leaderboard',
  summary: "A sweep's leaderboard (gates, trials, DSR, PBO) and its heatmap",
  usage: '%leaderboard [<sweep>] [--top N] [--gate PASS,MARGINAL] [--heatmap X,Y]',
  help:
    "Shows the sweep's kept combinations ranked by Sharpe (descending; ties by total return, then combo_id: the one leaderboard order of docs/sweeps.md) as the " +
    'Sigmatiq leaderboard (gate colours; header with the trials count, the deflated Sharpe ratio of the winner and the ' +
    'probability of backtest overfitting). <sweep> is a sidecar id, a tag, or latest (the default: the most recent sweep).\n' +
    '--top N: rows shown (1..1000, default 20). --gate PASS,MARGINAL: only rows with these gate statuses (ranks stay over all ' +
    'kept combinations). When exactly two parameters vary, a heatmap of the best Sharpe per pair follows; --heatmap X,Y picks ' +
    'the two parameters (best over the others).\n' +
    'Notebook API: await sq.leaderboard(sweep?, { top, gates, heatmap }) returns the SweepLeaderboard (doc, ranked, winner, stats).',
  forms: ['line'],
  async run({ args, kernel, out }) {
    const parsed = parseMagicArgs(leaderboardMagic, args, FLAGS);
    if (parsed.positionals.length > 1) throw usageError(leaderboardMagic, `unexpected argument "${parsed.positionals[1] ?? ''}"`);
    const topText = stringFlag(parsed, 'top');
    let top: number | undefined;
    if (topText !== undefined) {
      top = Number(topText);
      if (!/^\d+$/.test(topText) || top < 1 || top > 1000) throw usageError(leaderboardMagic, `--top must be an integer in [1, 1000], got "${topText}"`);
    }
    const gateText = stringFlag(parsed, 'gate');
    let gates: Gate[] | undefined;
    if (gateText !== undefined) {
      const list = gateText.split(',').map((g) => g.trim().toUpperCase()).filter((g) => g !== '');
      const bad = list.filter((g) => !(GATES as readonly string[]).includes(g));
      if (list.length === 0 || bad.length > 0) throw usageError(leaderboardMagic, `--gate takes ${GATES.join(', ')} separated by commas, got "${gateText}"`);
      gates = list as Gate[];
    }
    const heatText = stringFlag(parsed, 'heatmap');
    let heatmap: [string, string] | undefined;
    if (heatText !== undefined) {
      const [x, y, ...rest] = heatText.split(',').map((s) => s.trim());
      if (x === undefined || y === undefined || x === '' || y === '' || rest.length > 0) throw usageError(leaderboardMagic, `--heatmap takes two parameter names X,Y, got "${heatText}"`);
      heatmap = [x, y];
    }
    const board = await loadLeaderboard(kernel.sidecar, parsed.positionals[0], {
      ...(top === undefined ? {} : { top }), ...(gates === undefined ? {} : { gates }), ...(heatmap === undefined ? {} : { heatmap }),
    });
    const heat = board.heatmapOutput();
    if (heat === undefined) return displayOf(board);
    out.display(displayOf(board));
    return heat;
  },
};
