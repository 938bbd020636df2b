/** How often a panel re-reads the sidecar while something it shows is live (a running sweep, a training job). */
export const POLL_MS = 1_000;

/**
 * At most one pending re-read: `schedule()` runs `run` once after `ms` unless a run is already pending;
 * `stop()` cancels the pending one. The panels call `schedule()` at the end of each poll while something is
 * live, and `stop()` on refresh, on a new selection, on cancel and on dispose.
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly run: () => Promise<void>, private readonly ms = POLL_MS) {}

  get pending(): boolean {
    return this.timer !== null;
  }

  schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, this.ms);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
