import { backtestMagic } from './backtest.js';
import { dataMagic } from './data.js';
import { helpMagic } from './help.js';
import { leaderboardMagic } from './leaderboard.js';
import { lineageMagic } from './lineage.js';
import { modelMagic } from './model.js';
import { packMagic } from './pack.js';
import { MagicRegistry } from './registry.js';
import { sidecarMagic } from './sidecar.js';
import { sweepMagic } from './sweep.js';
import { trainMagic } from './train.js';
import { trainingMagic } from './training.js';
import { validateMagic } from './validate.js';
import { walkforwardMagic } from './walkforward.js';
import { versionMagic } from './version.js';

export { MagicRegistry, usageError, type Magic, type MagicContext, type KernelContext } from './registry.js';
export { parseCell, tokenizeArgs, MagicSyntaxError, type Segment } from './parse.js';

/** The registry with every built-in magic. Adding a magic = one module + one line here. */
export function builtinMagics(): MagicRegistry {
  return new MagicRegistry([helpMagic, versionMagic, sidecarMagic, dataMagic, packMagic, leaderboardMagic, lineageMagic, modelMagic, backtestMagic, sweepMagic, trainMagic, trainingMagic, validateMagic, walkforwardMagic]);
}
