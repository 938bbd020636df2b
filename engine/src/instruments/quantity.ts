/**
 * Quantity and point-value helpers that need only the Instrument type, not its zod schema: code on
 * hot start-up paths (the backtest config, loaded by every sweep worker) imports them from here so
 * it does not load zod (~0.1 s per worker thread). Re-exported by helpers.ts and index.ts.
 */
import type { Instrument } from './schema.js';

/** The quantity increment: lot size (stock), 1 contract (future), the configured step (fx, crypto). */
export function quantityStep(inst: Instrument): number {
  switch (inst.kind) {
    case 'stock':
      return inst.lotSize;
    case 'future':
      return 1;
    case 'fx':
    case 'crypto':
      return inst.quantityStep;
  }
}

/** The smallest non-zero order size. */
export function minQuantity(inst: Instrument): number {
  switch (inst.kind) {
    case 'stock':
      return inst.lotSize;
    case 'future':
      return 1;
    case 'fx':
      return inst.minQuantity ?? inst.quantityStep;
    case 'crypto':
      return inst.minSize;
  }
}

/** Currency value of one price point per unit of quantity: the multiplier for futures, else 1. */
export function pointValue(inst: Instrument): number {
  return inst.kind === 'future' ? inst.multiplier : 1;
}
