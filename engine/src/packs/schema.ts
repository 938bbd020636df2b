/**
 * The Pack schema (Sigmatiq entity data dictionary, section C), in zod v4. Field names are the
 * dictionary's snake_case. Types are inferred from the schema, so the YAML files in `packs/`, the
 * validator and the resolver cannot drift apart.
 *
 * Conventions (see docs/packs.md):
 * - fractions, not percentages: `max_drawdown: 0.25` means 25 %; costs are in basis points;
 * - `entry_logic` items are AND-ed, `exit_logic` items are OR-ed;
 * - every number a sweep may vary is a ParamSpec (type, minimum, maximum, default, optional step).
 */
import { z } from 'zod';

/** An identifier usable in strategy expressions: lower snake case. */
export const IDENT_RE = /^[a-z][a-z0-9_]*$/;
const Ident = z.string().regex(IDENT_RE, 'must be lower snake case: a letter, then letters, digits or _');

/** Pack ids are namespaces and file names: lower case, digits, `-`, `_`, `.`. */
export const PACK_ID_RE = /^[a-z][a-z0-9_.-]*$/;
const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z)?$/;
const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

const Fraction = z.number().min(0).max(1);
const PositiveFraction = z.number().gt(0).max(1);
const NonNegative = z.number().min(0);

/**
 * A JSON-schema-like description of one numeric parameter: its type, the range a sweep may
 * explore, its default and (optionally) a grid step.
 */
export const ParamSpecSchema = z
  .strictObject({
    type: z.enum(['integer', 'number']),
    minimum: z.number(),
    maximum: z.number(),
    default: z.number(),
    step: z.number().gt(0).optional(),
    description: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.minimum > p.maximum) {
      ctx.addIssue({ code: 'custom', path: ['minimum'], message: `minimum ${p.minimum} > maximum ${p.maximum}` });
    }
    if (p.default < p.minimum || p.default > p.maximum) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `default ${p.default} outside [${p.minimum}, ${p.maximum}]` });
    }
    if (p.type === 'integer') {
      for (const k of ['minimum', 'maximum', 'default'] as const) {
        if (!Number.isInteger(p[k])) ctx.addIssue({ code: 'custom', path: [k], message: `${k} must be an integer (type: integer)` });
      }
    }
  });
export type ParamSpec = z.infer<typeof ParamSpecSchema>;

const ParamMap = z.record(Ident, ParamSpecSchema);

export const VibeSchema = z.strictObject({
  style: Ident,
  time_horizon: z.enum(['scalp', 'intraday', 'days', 'weeks', 'months']),
  risk_appetite: z.enum(['conservative', 'moderate', 'aggressive']),
  decision_style: Ident,
  market_preference: Ident,
  execution_character: Ident,
});
export type Vibe = z.infer<typeof VibeSchema>;

/** Instrument types of the dictionary (stock, option, future) plus the engine's fx and crypto. */
export const InstrumentTypeSchema = z.enum(['stock', 'option', 'future', 'fx', 'crypto']);
export type InstrumentType = z.infer<typeof InstrumentTypeSchema>;

export const TimeframeSchema = z.enum(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo']);
export type Timeframe = z.infer<typeof TimeframeSchema>;

export const IndicatorDefSchema = z.strictObject({
  /** Pack-local id, the name strategies use (`rsi`, `ema_fast`). */
  id: Ident,
  name: z.string().min(1),
  /** Registry name of the kernel (`rsi`, `ema`, `bbands`). */
  indicator: Ident,
  description: z.string().optional(),
  /** Kernel parameters (registry names) with their sweep ranges; the defaults are the pack's values. */
  params_schema: ParamMap.default({}),
  /** Named thresholds read by strategies as `<id>_<level>` (`rsi_oversold`). */
  levels: ParamMap.default({}),
});
export type IndicatorDef = z.infer<typeof IndicatorDefSchema>;

/** The six Sigmatiq features; anything else is a custom feature with an `expression`. */
export const SIGMATIQ_FEATURES = [
  'rsi_divergence',
  'macd_cross',
  'trend_strength',
  'bb_squeeze',
  'volume_surge',
  'momentum_composite',
] as const;

export const FeatureDefSchema = z
  .strictObject({
    id: Ident,
    name: z.string().min(1),
    /** Code reference: one of the six Sigmatiq features, or `expression` for a custom feature. */
    calculation: Ident,
    description: z.string().optional(),
    /** Pack indicator ids the feature reads. */
    inputs: z.array(Ident).default([]),
    params: ParamMap.default({}),
    /** For `calculation: expression`: the feature's value, in the strategy expression language. */
    expression: z.string().min(1).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.calculation === 'expression' && f.expression === undefined) {
      ctx.addIssue({ code: 'custom', path: ['expression'], message: 'a custom feature (calculation: expression) needs an expression' });
    }
    if (f.calculation !== 'expression' && f.expression !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['expression'], message: `expression is only allowed with calculation: expression (got ${f.calculation})` });
    }
  });
export type FeatureDef = z.infer<typeof FeatureDefSchema>;

const ExprList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (typeof v === 'string' ? [v] : v));

export const StrategyDefSchema = z.strictObject({
  id: Ident,
  name: z.string().min(1),
  description: z.string().optional(),
  side: z.enum(['long', 'short']).default('long'),
  /** Entry conditions, AND-ed (a string is a one-item list). */
  entry_logic: ExprList,
  /** Exit conditions, OR-ed (a string is a one-item list). */
  exit_logic: ExprList,
  /** Named parameters the expressions may read and sweeps may vary. */
  params: ParamMap.default({}),
});
export type StrategyDef = z.infer<typeof StrategyDefSchema>;

export const QualityGateSchema = z.strictObject({
  min_trades: z.number().int().min(0),
  min_sharpe: z.number(),
  max_drawdown: PositiveFraction,
  min_win_rate: Fraction.optional(),
  min_profit_factor: NonNegative.optional(),
});
export const ExecutionGateSchema = z.strictObject({
  max_slippage_bps: NonNegative,
  min_volume: NonNegative,
  max_spread: Fraction,
});
export const RiskGateSchema = z.strictObject({
  max_position_size: PositiveFraction,
  max_correlation: z.number().min(-1).max(1),
  max_var_95: PositiveFraction,
});
export const GatePolicySchema = z.strictObject({
  quality: QualityGateSchema,
  execution: ExecutionGateSchema,
  risk: RiskGateSchema,
});
export type GatePolicy = z.infer<typeof GatePolicySchema>;

export const TradingHoursSchema = z.strictObject({
  start: z.string().regex(HHMM_RE, 'HH:MM (UTC)'),
  end: z.string().regex(HHMM_RE, 'HH:MM (UTC)'),
});

export const ExecPolicySchema = z.strictObject({
  order_type: z.enum(['market', 'limit', 'stop']).default('market'),
  time_in_force: z.enum(['day', 'gtc']).default('day'),
  /** Signal at bar t's close; fill at bar t+1's open (`next_open`) or at bar t's close (`close`). */
  fill: z.enum(['next_open', 'close']).default('next_open'),
  commission_bps: NonNegative,
  commission_fixed: NonNegative.default(0),
  slippage_bps: NonNegative,
  /** Allowed trading hours (UTC, bar timestamps); entries outside are skipped. */
  trading_hours: TradingHoursSchema.optional(),
  /** Smallest order worth sending, in account currency (0 = any). */
  min_order_value: NonNegative.default(0),
});
export type ExecPolicy = z.infer<typeof ExecPolicySchema>;

export const SizingPolicySchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('fixed_fraction'), fraction: PositiveFraction, max_positions: z.number().int().min(1).default(1) }),
  z.strictObject({
    method: z.literal('vol_target'),
    /** Annualized volatility target, e.g. 0.15. */
    target_vol: z.number().gt(0),
    lookback: z.number().int().min(2),
    max_leverage: z.number().gt(0).default(1),
    max_positions: z.number().int().min(1).default(1),
  }),
  z.strictObject({
    method: z.literal('kelly'),
    /** Multiplier on the full Kelly fraction (0.5 = half Kelly). */
    kelly_fraction: PositiveFraction,
    /** Hard cap on the position as a fraction of equity. */
    cap: PositiveFraction,
    /** Closed trades needed before the Kelly estimate is used ... */
    min_trades: z.number().int().min(0).default(10),
    /** ... and the position fraction until then (default: the cap). */
    warmup_fraction: PositiveFraction.optional(),
    max_positions: z.number().int().min(1).default(1),
  }),
]);
export type SizingPolicy = z.infer<typeof SizingPolicySchema>;

export const RiskPolicySchema = z.strictObject({
  stop_loss: PositiveFraction.optional(),
  take_profit: z.number().gt(0).optional(),
  trailing_stop: PositiveFraction.optional(),
  /** Close after this many bars in the trade (10 on daily bars = 10 trading days). */
  time_stop_bars: z.number().int().min(1).optional(),
  /** Largest position as a fraction of equity. */
  max_position_size: PositiveFraction,
});
export type RiskPolicy = z.infer<typeof RiskPolicySchema>;

export const PoliciesSchema = z.strictObject({
  exec: ExecPolicySchema,
  sizing: SizingPolicySchema,
  risk: RiskPolicySchema,
});
export type Policies = z.infer<typeof PoliciesSchema>;

/** Annualization of returns (periods per year from the bar interval): 252 days, 1440-minute sessions by default. */
export const CalendarSchema = z.strictObject({
  trading_days_per_year: z.number().min(1).max(366).default(252),
  /** Trading minutes per day for intraday bars (1440 = around the clock, 390 = US equities). */
  session_minutes: z.number().min(1).max(1440).default(1440),
});
export type Calendar = z.infer<typeof CalendarSchema>;

export const PackSchema = z.strictObject({
  pack_id: z.string().regex(PACK_ID_RE, 'lower case letters, digits, -, _ and .'),
  name: z.string().min(1),
  version: z.string().regex(SEMVER_RE, 'SemVer, e.g. 1.0.0'),
  description: z.string().min(1),
  author: z.string().min(1),
  created_at: z.string().regex(ISO_UTC_RE, 'ISO-8601 UTC, e.g. 2026-11-21T00:00:00Z'),
  tags: z.array(z.string().min(1)),
  metadata: z.strictObject({ vibe: VibeSchema }),
  supported_instruments: z.array(InstrumentTypeSchema).min(1),
  default_instrument: InstrumentTypeSchema,
  /** Example symbols the pack is meant for (free text, e.g. SPX, EURUSD). */
  universe: z.array(z.string().min(1)).default([]),
  timeframes: z.array(TimeframeSchema).min(1),
  default_timeframe: TimeframeSchema,
  calendar: CalendarSchema.default({ trading_days_per_year: 252, session_minutes: 1440 }),
  indicators: z.array(IndicatorDefSchema).min(3).max(15),
  features: z.array(FeatureDefSchema).default([]),
  strategies: z.array(StrategyDefSchema).min(1),
  default_strategy: Ident,
  gates: GatePolicySchema,
  policies: PoliciesSchema,
});
/** A pack after parsing (defaults filled in). */
export type Pack = z.infer<typeof PackSchema>;
/** A pack as written in YAML (defaults optional). */
export type PackInput = z.input<typeof PackSchema>;
