/**
 * The impure side of the sanity backtest: load a real OHLCV file (through the data importer) and
 * validate a pack on it.
 */
import { isAbsolute, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { importBars, realDataDir, type Bars } from '../data/index.js';
import type { PackValidationReport } from './report.js';
import { sanityStep, type SanityOptions } from './sanity.js';
import { validatePackYaml } from './validate.js';
import { resolvePackFile } from './registry.js';

/** Bars of a data file: an absolute path, or a file name in the shared real-data folder. */
export async function loadSanityBars(file: string, options: { symbol?: string; interval?: string } = {}): Promise<Bars> {
  const path = isAbsolute(file) ? file : join(realDataDir(), file);
  const res = await importBars(path, options);
  return res.bars;
}

/**
 * Validate a pack (id or path) with the sanity backtest on a data file. Pack loading errors are
 * part of the report (PACK_YAML, PACK_SCHEMA); a missing pack or data file throws.
 */
export async function validatePackOnData(
  idOrPath: string,
  dataFile: string,
  opts: SanityOptions & { symbol?: string; interval?: string; packsDir?: string } = {},
): Promise<PackValidationReport> {
  const bars = await loadSanityBars(dataFile, { ...(opts.symbol === undefined ? {} : { symbol: opts.symbol }), ...(opts.interval === undefined ? {} : { interval: opts.interval }) });
  const file = opts.packsDir === undefined ? resolvePackFile(idOrPath) : resolvePackFile(idOrPath, opts.packsDir);
  return validatePackYaml(readFileSync(file, 'utf8'), { file, sanity: sanityStep(bars, opts), ...(opts.indicators === undefined ? {} : { indicators: opts.indicators }) });
}
