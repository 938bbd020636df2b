import { SigmatiqError } from '../errors.js';
import { minQuantity, pointValue, quantityStep } from './quantity.js';
import { InstrumentSchema, type Instrument } from './schema.js';

export { minQuantity, pointValue, quantityStep };

/** Validates an instrument spec (defaults applied). Throws INSTRUMENT_INVALID naming the field. */
export function parseInstrument(input: unknown): Instrument {
  if (typeof input === 'object' && input !== null && (input as { kind?: unknown }).kind === 'option') {
    throw new SigmatiqError('INSTRUMENT_KIND_RESERVED', "instrument kind 'option' is reserved and not supported yet", { field: 'kind' });
  }
  const r = InstrumentSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    throw new SigmatiqError('INSTRUMENT_INVALID', `invalid instrument: ${issue?.message ?? 'unknown problem'} at ${field}`, { field });
  }
  return r.data;
}

/** Decimal places of a step such as 0.001 or 1e-8 (for exact re-rounding of k * step). */
function decimalsOf(step: number): number {
  if (Number.isInteger(step)) return 0;
  const text = step.toExponential(); // e.g. "1e-8", "2.5e-3"
  const [mant = '', exp = '0'] = text.split('e');
  const mantDecimals = (mant.split('.')[1] ?? '').length;
  return Math.max(0, mantDecimals - Number(exp));
}

/**
 * Rounds a quantity TOWARD ZERO to a whole number of steps (never buys more than asked), keeping
 * the sign (negative = short). Magnitudes below the minimum size become 0. The result is exactly
 * `k * step` printed to the step's decimals (no 0.30000000000000004).
 */
export function roundQuantity(inst: Instrument, quantity: number): number {
  if (!Number.isFinite(quantity)) {
    throw new SigmatiqError('INSTRUMENT_BAD_QUANTITY', `quantity must be finite, got ${quantity}`, { param: 'quantity' });
  }
  const step = quantityStep(inst);
  const mag = Math.abs(quantity);
  // The 1e-9 relative slack absorbs binary noise such as 0.3 / 0.1 = 2.9999999999999996.
  const k = Math.floor(mag / step + 1e-9);
  const rounded = Number((k * step).toFixed(decimalsOf(step)));
  if (rounded < minQuantity(inst) || rounded === 0) return 0;
  return quantity < 0 ? -rounded : rounded;
}

/** Notional value |quantity| * price * pointValue (in the instrument's currency). */
export function notional(inst: Instrument, quantity: number, price: number): number {
  return Math.abs(quantity) * price * pointValue(inst);
}

/** Rounds a price to the nearest tick (when the instrument has a tick size). */
export function roundPrice(inst: Instrument, price: number): number {
  const tick = inst.tickSize;
  if (tick === undefined) return price;
  return Number((Math.round(price / tick) * tick).toFixed(decimalsOf(tick)));
}

/** Price distance in pips (fx only). */
export function pips(inst: Instrument, priceDelta: number): number {
  if (inst.kind !== 'fx') throw new SigmatiqError('INSTRUMENT_INVALID', `pips are defined for fx instruments, not ${inst.kind}`, { field: 'kind' });
  return priceDelta / inst.pipSize;
}
