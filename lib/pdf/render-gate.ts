/**
 * Admission for expensive renders: at most one runs at a time, a few may wait, and every render
 * has a deadline. Requests for the same key while it renders share that render. Beyond the queue
 * the caller is told to come back later (the route answers 429) instead of piling up browsers.
 */
export class RenderBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("Another PDF is being rendered and the queue is full.");
  }
}

export class RenderTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Rendering took longer than ${timeoutMs} ms and was stopped.`);
  }
}

export interface RenderGateOptions {
  /** Renders that may wait behind the running one. */
  queueLimit: number;
  timeoutMs: number;
}

type Task<T> = (signal: AbortSignal) => Promise<T>;

export class RenderGate<T> {
  private running = false;
  private readonly waiting: (() => void)[] = [];
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(private readonly options: RenderGateOptions) {}

  /** Renders waiting or running (for tests and diagnostics). */
  get load(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  run(key: string, task: Task<T>): Promise<T> {
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    if (this.running && this.waiting.length >= this.options.queueLimit) {
      // Roughly when a slot frees up: every render ahead of us may use its whole deadline.
      throw new RenderBusyError(Math.max(1, Math.ceil(((this.waiting.length + 1) * this.options.timeoutMs) / 1000)));
    }
    const promise = this.admit().then(() => this.runWithDeadline(task)).finally(() => {
      this.inFlight.delete(key);
      this.release();
    });
    this.inFlight.set(key, promise);
    return promise;
  }

  private admit(): Promise<void> {
    if (!this.running) {
      this.running = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running = false;
  }

  /** The deadline starts when the render starts (not while it waits); the task is aborted when it passes. */
  private async runWithDeadline(task: Task<T>): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new RenderTimeoutError(this.options.timeoutMs);
        controller.abort(error);
        reject(error);
      }, this.options.timeoutMs);
    });
    try {
      return await Promise.race([task(controller.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
