import "server-only";
/**
 * Fires when no progress was reported for a while. Progress is a timestamp write, not a timer
 * re-arm: re-arming a timer on every streamed chunk (thousands per second under load) costs more
 * than the work it guards. The single timer wakes up at the current deadline and re-checks.
 */
export class SilenceWatchdog {
  private deadline: number;
  private limitMs: number;
  private message: string;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    limitMs: number,
    message: string,
    private readonly onSilence: (message: string) => void,
  ) {
    this.limitMs = limitMs;
    this.message = message;
    this.deadline = Date.now() + limitMs;
    this.schedule(limitMs);
  }

  /** Progress: the next silence is measured from now, with a new limit and message. */
  progress(limitMs: number, message: string): void {
    this.limitMs = limitMs;
    this.message = message;
    this.deadline = Date.now() + limitMs;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const remaining = this.deadline - Date.now();
      if (remaining > 0) return this.schedule(remaining);
      this.timer = undefined;
      this.onSilence(this.message);
    }, delayMs);
  }
}
