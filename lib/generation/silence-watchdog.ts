import "server-only";
/**
 * Fires when no progress was reported for a while. Progress is a timestamp write, not a timer
 * re-arm: re-arming a timer on every streamed chunk (thousands per second under load) costs more
 * than the work it guards. The single timer wakes up when it is due; if progress moved the
 * deadline later meanwhile, it re-arms for the remainder. Only progress that moves the deadline
 * *earlier* than the timer (a shorter limit: the idle limit after a long first-token limit)
 * re-arms at once, which happens at most once per limit change.
 */
export class SilenceWatchdog {
  private deadline = 0;
  private message: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires. */
  private timerDueAt = 0;

  constructor(
    limitMs: number,
    message: string,
    private readonly onSilence: (message: string) => void,
  ) {
    this.message = message;
    this.schedule(limitMs);
    this.deadline = this.timerDueAt;
  }

  /** Progress: the next silence is measured from now, with a new limit and message. */
  progress(limitMs: number, message: string): void {
    if (this.timer === undefined) return; // stopped, or already fired
    this.message = message;
    this.deadline = Date.now() + limitMs;
    if (this.deadline < this.timerDueAt) {
      clearTimeout(this.timer);
      this.schedule(limitMs);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timerDueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      const remaining = this.deadline - Date.now();
      if (remaining > 0) return this.schedule(remaining);
      this.timer = undefined;
      this.onSilence(this.message);
    }, delayMs);
  }
}
