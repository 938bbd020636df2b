/**
 * Instruments: a discriminated union on `kind`. Stocks trade in lots, futures in whole contracts
 * with a multiplier and a roll policy, FX and crypto in fractional sizes. `kind: 'option'` is
 * reserved: the parser recognizes it and refuses it with INSTRUMENT_KIND_RESERVED until options
 * are specified (add an OptionSchema member to the union then).
 */
import { z } from 'zod';

const positive = z.number().finite().positive();
const symbol = z.string().min(1).max(64);

const common = {
  symbol,
  name: z.string().optional(),
  /** Quote currency of prices (ISO 4217 or crypto ticker). */
  currency: z.string().min(1).default('USD'),
  exchange: z.string().optional(),
  /** Minimum price increment. */
  tickSize: positive.optional(),
};

export const StockSchema = z.object({
  kind: z.literal('stock'),
  ...common,
  /** Shares per lot; quantities are whole multiples of it (default 1). */
  lotSize: z.number().int().positive().default(1),
}).strict();

export const RollPolicySchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('front'), strategy: z.enum(['calendar', 'volume', 'oi']).default('calendar') }).strict(),
  z.object({ policy: z.literal('back'), strategy: z.enum(['calendar', 'volume', 'oi']).default('calendar') }).strict(),
  z.object({ policy: z.literal('specific'), contract: z.string().min(2) }).strict(),
]);

export const FutureSchema = z.object({
  kind: z.literal('future'),
  ...common,
  /** Root code, e.g. `ES`, `6E`, `FESX`. */
  contractCode: z.string().min(1),
  /** Currency value of one point per contract (ES: 50). */
  multiplier: positive,
  tickSize: positive,
  roll: RollPolicySchema.default({ policy: 'front', strategy: 'calendar' }),
}).strict();

export const FxSchema = z.object({
  kind: z.literal('fx'),
  ...common,
  base: z.string().length(3),
  quote: z.string().length(3),
  /** One pip in price units (0.0001; 0.01 for JPY quotes). */
  pipSize: positive,
  /** Smallest quantity increment in base-currency units (fractional allowed, default 1). */
  quantityStep: positive.default(1),
  /** Smallest order in base-currency units (default = quantityStep). */
  minQuantity: positive.optional(),
}).strict();

export const CryptoSchema = z.object({
  kind: z.literal('crypto'),
  ...common,
  base: z.string().min(1),
  quote: z.string().min(1),
  /** Quantity increment, e.g. 1e-8 BTC. */
  quantityStep: positive,
  /** Smallest order size in base units. */
  minSize: positive,
}).strict();

export const InstrumentSchema = z.discriminatedUnion('kind', [StockSchema, FutureSchema, FxSchema, CryptoSchema]);

export type Stock = z.infer<typeof StockSchema>;
export type Future = z.infer<typeof FutureSchema>;
export type Fx = z.infer<typeof FxSchema>;
export type Crypto = z.infer<typeof CryptoSchema>;
export type RollPolicy = z.infer<typeof RollPolicySchema>;
export type Instrument = z.infer<typeof InstrumentSchema>;
/** Instrument kinds, including the reserved `option`. */
export type InstrumentKind = Instrument['kind'] | 'option';
export const INSTRUMENT_KINDS: readonly InstrumentKind[] = ['stock', 'future', 'fx', 'crypto', 'option'];
