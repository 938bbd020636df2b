import type { GateStatus } from '../common/api';

/** Only PASS and MARGINAL combinations may be trained (the sidecar refuses FAIL ones with GATE_FAILED). */
export function trainable(gate: GateStatus): boolean {
  return gate === 'PASS' || gate === 'MARGINAL';
}

/** Tooltip of the Train button of a row. */
export function trainTitle(gate: GateStatus, comboId: number): string {
  return trainable(gate)
    ? `Insert %train for combination ${comboId} into the current notebook`
    : `Combination ${comboId} failed its gates (FAIL): only PASS and MARGINAL combinations can be trained`;
}

/**
 * The `%train` line for combinations of a sweep: ids sorted and deduplicated (the order the sidecar stores them),
 * `--model` only when asked. Throws on an empty or invalid id list (nothing to train).
 */
export function trainCommand(sweepId: string, comboIds: readonly number[], model?: 'gbdt' | 'logreg'): string {
  if (!/^[A-Za-z0-9_.:-]+$/.test(sweepId)) throw new Error(`Not a sweep id: ${JSON.stringify(sweepId)}`);
  const ids = [...new Set(comboIds)].sort((a, b) => a - b);
  if (ids.length === 0) throw new Error('No combination to train');
  for (const id of ids) if (!Number.isInteger(id) || id < 0) throw new Error(`Not a combination id: ${id}`);
  return `%train ${sweepId} --combos ${ids.join(',')}${model === undefined ? '' : ` --model ${model}`}`;
}
