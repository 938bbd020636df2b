/** Shapes of the sidecar answers the panels read (docs/http-api.md); only the fields they use. */
export type GateStatus = 'PASS' | 'MARGINAL' | 'FAIL';
export type SweepStatus = 'queued' | 'running' | 'cancelled' | 'completed' | 'failed';

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
}

export interface Sweep {
  id: string;
  model_version_id: string;
  data_snapshot_id: string;
  type: 'simple' | 'custom';
  date_range: { start: string; end: string };
  parameters: Record<string, unknown>;
  tag: string | null;
  combo_cap: number;
  config_hash: string;
  created_at: string;
  run: { status: SweepStatus; progress: number; started_at: string | null; ended_at: string | null };
}

export interface Combination {
  sweep_id: string;
  combo_id: number;
  params: Record<string, unknown>;
  config_hash: string;
  /** BacktestMetrics; profit_factor null = +∞ (winning trades, no losing one). */
  backtest_metrics: Record<string, number | null>;
  gate_results: Record<string, GateStatus>;
  gate_status: GateStatus;
  kept: boolean;
}

export interface SweepStatistics {
  sweep_id: string;
  trials: number;
  dsr: number | null;
  pbo: number | null;
  /** `recorded` (posted by the sweep's runner) or `not recorded` (DSR/PBO null). */
  source: string;
}

/** GET /v1/sweeps/{id}/gate-policy: the thresholds and MARGINAL tolerances the sidecar judged the sweep by. */
export interface GatePolicy {
  sweep_id: string;
  thresholds: { min_trades: number; min_sharpe: number; max_drawdown: number; min_win_rate?: number; min_profit_factor?: number };
  tolerances: { trades_fraction: number; sharpe: number; drawdown: number; win_rate: number; profit_factor: number };
}

export interface ComboBacktest {
  sweep_id: string;
  combo_id: number;
  config_hash: string;
  run_hash: string;
  data_hash: string;
  bars: number;
  metrics: Record<string, number | null>;
  reproduced: boolean;
  curve: { ts: string[]; equity: number[]; drawdown: number[]; decimated: boolean };
  trades: { entry_time: string; exit_time: string; side: string; qty: number; entry_price: number; exit_price: number; pnl: number; return: number; exit_reason: string; open: boolean }[];
  trades_total: number;
}

export interface PackRow {
  id: string;
  name: string;
  version: string;
  metadata: Record<string, unknown>;
  supported_instruments: string[];
  default_instrument: string;
  tags: string[];
  author: string;
  spec: Record<string, unknown>;
  content_hash: string;
  created_at: string;
}

export interface ValidationReport {
  id: string;
  pack_id: string;
  version: string;
  status: 'PASS' | 'FAIL';
  errors: unknown[];
  warnings: unknown[];
  created_at: string;
}

export interface LineageNode {
  type: string;
  id: string;
  depth: number;
  hashes: { hash_type: string; hash: string }[];
}

export interface LineageGraph {
  root: { type: string; id: string };
  direction: 'up' | 'down';
  truncated: boolean;
  nodes: LineageNode[];
  edges: { id: string; from: { type: string; id: string }; to: { type: string; id: string } }[];
}

/** Every page of a list route (limit 500 per request). */
export async function allPages<T>(get: (path: string) => Promise<Page<T>>, path: string, max = 10_000): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let offset = 0; offset < max; offset += 500) {
    const page = await get(`${path}${sep}limit=500&offset=${offset}`);
    out.push(...page.items);
    if (page.items.length < 500) break;
  }
  return out;
}
