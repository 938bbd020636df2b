import { z } from '@hono/zod-openapi';
import { DateRange, Timestamp } from '../http/common.js';

export const GateStatus = z.enum(['PASS', 'MARGINAL', 'FAIL']);
export const SweepStatus = z.enum(['queued', 'running', 'cancelled', 'completed', 'failed']);

export const SweepCreate = z
  .object({
    model_version_id: z.string().min(1).max(100),
    data_snapshot_id: z.string().min(1).max(100),
    type: z.enum(['simple', 'custom']),
    date_range: DateRange,
    parameters: z.record(z.string(), z.unknown()).openapi({ description: 'Parameter space per the registry' }),
    quality_gates: z.record(z.string(), z.unknown()).optional().openapi({
      description: 'Gate overrides on top of the pack\'s gates.quality: { thresholds?: { min_trades, min_sharpe, max_drawdown, min_win_rate, min_profit_factor }, '
        + 'tolerances?: { trades_fraction, sharpe, drawdown, win_rate, profit_factor } } or bare thresholds; checked by the engine (422 GATE_POLICY_INVALID)',
    }),
    tag: z.string().max(200).optional(),
    pruning: z.boolean().optional(),
  })
  .strict()
  .openapi('SweepCreate');

export const SweepRun = z.object({
  status: SweepStatus,
  progress: z.number().min(0).max(1),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  pruning_used: z.boolean(),
});

export const Sweep = z
  .object({
    id: z.string(), model_version_id: z.string(), data_snapshot_id: z.string(), type: z.enum(['simple', 'custom']),
    date_range: z.object({ start: z.string(), end: z.string() }), parameters: z.record(z.string(), z.unknown()),
    quality_gates: z.record(z.string(), z.unknown()).nullable(), tag: z.string().nullable(),
    plan_tier: z.enum(['free', 'premium', 'pro']), combo_cap: z.number().int(), config_hash: z.string(), created_at: Timestamp,
    run: SweepRun,
  })
  .openapi('Sweep');

export const SweepPatch = z.object({ tag: z.string().max(200).nullable() }).strict().openapi('SweepPatch');
export const ProgressBody = z.object({ progress: z.number().min(0).max(1) }).strict().openapi('SweepProgress');
export const FailBody = z
  .object({ reason_code: z.string().regex(/^[A-Z][A-Z0-9_-]{0,63}$/), message: z.string().min(1).max(2000), detail: z.record(z.string(), z.unknown()).optional() })
  .strict()
  .openapi('SweepFailure');

export const BacktestMetrics = z
  .object({
    total_return: z.number(), annualized_return: z.number(), sharpe_ratio: z.number(), sortino_ratio: z.number(),
    max_drawdown: z.number(), win_rate: z.number(),
    profit_factor: z.number().min(0).nullable().openapi({
      description: 'Gross profit / gross loss. null = +∞: winning trades and no losing one (JSON has no infinity; displayed as ∞). 0 = no profit and no loss (no trades or only break-even ones).',
    }),
    total_trades: z.number().int().min(0),
    avg_trade_duration_days: z.number(), best_trade: z.number(), worst_trade: z.number(), avg_winner: z.number(), avg_loser: z.number(),
  })
  .strict()
  .openapi('BacktestMetrics');

export const CombinationCreate = z
  .object({
    combo_id: z.number().int().min(0).max(1_000_000),
    params: z.record(z.string(), z.unknown()),
    backtest_metrics: BacktestMetrics,
    gate_results: z.record(z.string(), GateStatus).optional().openapi({
      description: "Optional claim, checked: per engine gate check (min_trades, min_sharpe, max_drawdown, min_win_rate, min_profit_factor) or "
        + "'quality' (overall), the status the client evaluated. The sidecar evaluates the gates itself (engine evaluateGates, sweep gate policy) "
        + 'and stores its own result; any sent key that disagrees is 422 GATE_MISMATCH.',
    }),
    kept: z.boolean(),
  })
  .strict();
export const CombinationBatch = z.object({ items: z.array(CombinationCreate).min(1).max(1000) }).strict().openapi('CombinationBatch');

export const Combination = z
  .object({
    sweep_id: z.string(), combo_id: z.number().int(), params: z.record(z.string(), z.unknown()), config_hash: z.string(),
    backtest_metrics: BacktestMetrics, gate_results: z.record(z.string(), GateStatus), gate_status: GateStatus, kept: z.boolean(), created_at: Timestamp,
  })
  .openapi('SweepCombination');

export const LeaderboardEntry = z
  .object({
    rank: z.number().int().min(1), combo_id: z.number().int(), sharpe: z.number(), return: z.number(), trades: z.number().int(),
    max_drawdown: z.number(), gate_status: GateStatus, config_hash: z.string(), params: z.record(z.string(), z.unknown()),
  })
  .openapi('LeaderboardEntry');

export const SweepError = z
  .object({ id: z.string(), sweep_id: z.string(), reason_code: z.string(), message: z.string(), detail: z.record(z.string(), z.unknown()).nullable(), created_at: Timestamp })
  .openapi('SweepError');

/** The resolved gate policy of a sweep: engine defaults, then the pack's gates.quality, then the sweep's quality_gates. */
export const GatePolicy = z
  .object({
    sweep_id: z.string(),
    thresholds: z.object({
      min_trades: z.number(), min_sharpe: z.number(), max_drawdown: z.number(),
      min_win_rate: z.number().optional(), min_profit_factor: z.number().optional(),
    }),
    tolerances: z.object({ trades_fraction: z.number(), sharpe: z.number(), drawdown: z.number(), win_rate: z.number(), profit_factor: z.number() }),
  })
  .openapi('GatePolicy');

