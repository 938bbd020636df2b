import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POLL_MS, Poller } from './poll';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Poller', () => {
  it('runs once per schedule after the period, never two pending runs', async () => {
    const run = vi.fn(() => Promise.resolve());
    const p = new Poller(run);
    p.schedule();
    p.schedule();
    expect(p.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(p.pending).toBe(false);
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('can schedule again from inside its run (the panels\' poll loop), and stop cancels the pending run', async () => {
    let runs = 0;
    const p: Poller = new Poller(() => {
      runs++;
      if (runs < 3) p.schedule();
      return Promise.resolve();
    }, 50);
    p.schedule();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(3);
    p.schedule();
    p.stop();
    expect(p.pending).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(3);
  });
});
