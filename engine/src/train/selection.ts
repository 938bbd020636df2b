/**
 * Which sweep combinations may be trained: only PASS and MARGINAL (REQUIREMENTS.md, Training);
 * a warning above 5 selected; near-duplicate configurations flagged (every parameter within
 * `tolerance`, relative, of the other's: training both adds no information and double-counts
 * one edge).
 */
import { trainError } from './errors.js';
import type { TrainWarning } from './dataset.js';

export interface ComboSelection {
  readonly combo_id: number;
  readonly gate_status: 'PASS' | 'MARGINAL' | 'FAIL';
  readonly params: Readonly<Record<string, number | string | boolean>>;
}

export const MAX_RECOMMENDED_COMBOS = 5;

export function checkSelection(combos: readonly ComboSelection[], tolerance = 0.05): TrainWarning[] {
  if (combos.length === 0) throw trainError('TRAIN_BAD_PARAM', 'select at least one combination to train', { parameter: 'combos' });
  const failed = combos.filter((c) => c.gate_status !== 'PASS' && c.gate_status !== 'MARGINAL');
  if (failed.length > 0) {
    throw trainError('TRAIN_GATE_FAILED', `only PASS or MARGINAL combinations may be trained; combination${failed.length > 1 ? 's' : ''} ${failed.map((c) => c.combo_id).join(', ')} failed the quality gates`, {
      combos: failed.map((c) => c.combo_id),
    });
  }
  const warnings: TrainWarning[] = [];
  if (combos.length > MAX_RECOMMENDED_COMBOS) {
    warnings.push({ code: 'TRAIN_MANY_COMBOS', message: `${combos.length} combinations selected (more than ${MAX_RECOMMENDED_COMBOS}): the more you train, the more likely one looks good by chance`, details: { selected: combos.length } });
  }
  for (let a = 0; a < combos.length; a++) {
    for (let b = a + 1; b < combos.length; b++) {
      const ca = combos[a] as ComboSelection;
      const cb = combos[b] as ComboSelection;
      if (nearDuplicate(ca.params, cb.params, tolerance)) {
        warnings.push({ code: 'TRAIN_NEAR_DUPLICATE', message: `combinations ${ca.combo_id} and ${cb.combo_id} have every parameter within ${tolerance * 100}% of each other`, details: { combos: [ca.combo_id, cb.combo_id] } });
      }
    }
  }
  return warnings;
}

export function nearDuplicate(a: Readonly<Record<string, number | string | boolean>>, b: Readonly<Record<string, number | string | boolean>>, tolerance: number): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) > tolerance * Math.max(Math.abs(x), Math.abs(y))) return false;
    } else if (x !== y) return false;
  }
  return true;
}
