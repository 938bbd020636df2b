export { BAR_FIELDS, type Bars, type BarField } from './bars.js';
export { allocBars, sliceBars, barsInvariantProblem } from './make.js';
export { parseInterval, inferInterval, intervalFromMs, barsPerCalendarYear, MINUTE_MS, HOUR_MS, DAY_MS, type Interval, type IntervalUnit } from './interval.js';
export { findGaps, weekdaysBetween, type Gap, type GapReport } from './gaps.js';
export { importBars, defaultSymbol, csvLineOfRow, type ImportOptions, type ImportResult, type ImportSource } from './import.js';
export {
  freezeSnapshot, loadSnapshot, readSnapshotRecord, listSnapshots, snapshotPaths,
  type DataSnapshot, type SnapshotSource, type FreezeOptions, type FreezeResult, type LoadOptions,
} from './snapshot.js';
export { importToSnapshot, defaultStoreDir, findRepoRoot, type ImportToSnapshotOptions, type ImportToSnapshotResult } from './store.js';
export { DataSnapshotSchema, GapReportSchema, SnapshotSourceSchema } from './snapshot-schema.js';
export { resample, bucketStart } from './resample.js';
export { generateSyntheticBars, DEFAULT_REGIMES, type SyntheticOptions, type Regime } from './synthetic.js';
export { realDataDir } from './real-data.js';
