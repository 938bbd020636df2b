/**
 * Per-key token buckets: `perMinute` tokens, refilled continuously. Kept in memory (one sidecar process per
 * data dir); a restart forgets the buckets, which only ever errs towards allowing requests.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: () => number = () => Date.now()) {}

  /** Takes one token; returns 0 if allowed, else the seconds to wait before a token is available. */
  take(key: string, perMinute: number): number {
    const now = this.clock();
    const rate = perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}
