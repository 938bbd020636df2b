import { describe, expect, it } from 'vitest';
import { modelCreateLine } from './cell';

describe('modelCreateLine', () => {
  it('writes the %model create magic with a default name from pack and strategy', () => {
    expect(modelCreateLine('swing', 'rsi_pullback')).toBe('%model create swing-rsi_pullback --pack swing --strategy rsi_pullback');
    expect(modelCreateLine('fx-intraday-mean-reversion', 'bb_fade', 'my.fx')).toBe('%model create my.fx --pack fx-intraday-mean-reversion --strategy bb_fade');
  });
});
