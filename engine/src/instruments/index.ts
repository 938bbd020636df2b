export {
  InstrumentSchema, StockSchema, FutureSchema, FxSchema, CryptoSchema, RollPolicySchema, INSTRUMENT_KINDS,
  type Instrument, type InstrumentKind, type Stock, type Future, type Fx, type Crypto, type RollPolicy,
} from './schema.js';
export { parseInstrument, quantityStep, minQuantity, roundQuantity, pointValue, notional, roundPrice, pips } from './helpers.js';
