// Public API of the backtester (docs/backtest.md).
export {
  DEFAULT_BACKTEST_CONFIG,
  resolveBacktestConfig,
  periodsPerYear,
  tradingHoursMask,
  instrumentSettings,
  type BacktestConfig,
  type BacktestConfigInput,
  type FillMode,
  type Direction,
  type SizingConfig,
  type TradingWindow,
} from './config.js';
export { MetricsAccumulator, type BacktestMetrics } from './metrics.js';
export {
  BAR_STATUS,
  BAR_STATUS_NAMES,
  REASON,
  ORDER_STATUS,
  type BarStatusName,
  type Reason,
  type OrderStatus,
  type BarRecords,
  type OrderRecords,
  type FillRecords,
  type TradeRecords,
} from './records.js';
export { simulate, type Prepared, type SimBars, type SimOutcome } from './simulate.js';
export { prepareBacktest, runBacktest, backtestMetrics, backtestSummary, type BacktestBars, type BacktestSignals, type BacktestResult, type StatusCounts } from './run.js';
export { MemoryResultStore, DirectoryResultStore, type ResultStore, type BacktestSummary } from './store.js';
export { runStrategyBacktest, runHash, type StrategyBacktestRequest, type StrategyBacktestOutcome } from './strategy-run.js';
