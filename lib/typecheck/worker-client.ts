/**
 * The warm type-check worker: one worker thread per server process, kept alive between
 * documents (the compiler and the declaration files stay loaded), fed one request at a time.
 *
 * Never leaves a caller waiting for ever: a request that runs longer than `timeoutMs` (or a
 * worker that takes longer than `startupTimeoutMs` to load) terminates the worker (a hung
 * compiler cannot be trusted with the next document), and a request that waited longer than
 * `maxQueueWaitMs` for its turn gives up. Both, and a crash,
 * answer `{ ok: false, reason }`; the next request starts a fresh worker.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { TYPE_PACKAGES } from "./type-packages";

export interface CheckFile {
  name: string;
  text: string;
  /** A fragment: names it uses without declaring are assumed from the surrounding text. */
  assumeFreeNames: boolean;
}

export interface RawDiagnostic {
  line: number;
  column: number;
  code: number;
  message: string;
}

export interface FileResult {
  name: string;
  diagnostics: RawDiagnostic[];
  errorCount: number;
  assumed: string[];
}

export type CheckOutcome =
  | { ok: true; files: FileResult[]; ms: number; compilerVersion: string }
  | { ok: false; reason: string };

export interface TypecheckWorkerOptions {
  /** The worker script; by default lib/typecheck/worker/typecheck-worker.mjs under the project root. */
  script?: string;
  /** Where node_modules with the type packages is (default: the current directory, as `npm start` sets it). */
  projectRoot?: string;
  /** Longest a check may run once the worker is ready. */
  timeoutMs?: number;
  /** Longest a new worker may take to load the compiler and the declarations. */
  startupTimeoutMs?: number;
  maxQueueWaitMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_QUEUE_WAIT_MS = 30_000;

interface Pending {
  files: readonly CheckFile[];
  resolve(outcome: CheckOutcome): void;
  queueTimer: ReturnType<typeof setTimeout> | undefined;
}

interface Running {
  id: number;
  request: Pending;
  timer: ReturnType<typeof setTimeout>;
}

interface Reply {
  type?: "ready";
  version?: string;
  id?: number;
  files?: FileResult[];
  ms?: number;
  error?: string;
}

export function defaultWorkerScript(projectRoot: string): string {
  // Resolved at run time from the project folder: the script is plain ESM that Node runs as
  // it is, outside the Next.js bundle (the bundler must not try to follow this path).
  return path.join(/* turbopackIgnore: true */ projectRoot, "lib", "typecheck", "worker", "typecheck-worker.mjs");
}

export class TypecheckWorker {
  private readonly script: string;
  private readonly projectRoot: string;
  private readonly timeoutMs: number;
  private readonly startupTimeoutMs: number;
  private readonly maxQueueWaitMs: number;
  private worker: Worker | null = null;
  private ready: Promise<string> | null = null;
  private readonly queue: Pending[] = [];
  private running: Running | null = null;
  private nextId = 1;
  private compilerVersion = "unknown";
  /** How many workers were started (a restart after a crash or timeout counts). */
  starts = 0;

  constructor(options: TypecheckWorkerOptions = {}) {
    this.projectRoot = options.projectRoot ?? process.cwd();
    this.script = options.script ?? defaultWorkerScript(this.projectRoot);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.startupTimeoutMs = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    this.maxQueueWaitMs = options.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS;
  }

  /** Starts the worker (if needed) and waits until it has loaded the compiler; never rejects. */
  async warm(): Promise<boolean> {
    try {
      await this.start();
      return true;
    } catch {
      return false;
    }
  }

  /** Type-checks the files in one program. Never rejects. */
  check(files: readonly CheckFile[]): Promise<CheckOutcome> {
    return new Promise((resolve) => {
      const request: Pending = { files, resolve, queueTimer: undefined };
      request.queueTimer = setTimeout(() => {
        const at = this.queue.indexOf(request);
        if (at === -1) return;
        this.queue.splice(at, 1);
        resolve({ ok: false, reason: `the type checker was busy for more than ${seconds(this.maxQueueWaitMs)}` });
      }, this.maxQueueWaitMs);
      request.queueTimer.unref?.();
      this.queue.push(request);
      this.pump();
    });
  }

  /** Stops the worker; queued and running requests answer `ok: false`. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.failRunning("the type checker was shut down", false);
    for (const request of this.queue.splice(0)) {
      clearTimeout(request.queueTimer);
      request.resolve({ ok: false, reason: "the type checker was shut down" });
    }
    this.worker = null;
    this.ready = null;
    await worker?.terminate();
  }

  private start(): Promise<string> {
    if (this.ready) return this.ready;
    this.starts++;
    const worker = new Worker(this.script, {
      workerData: { projectRoot: this.projectRoot, knownPackages: TYPE_PACKAGES.map((entry) => entry.name) },
    });
    this.worker = worker;
    this.ready = new Promise<string>((resolve, reject) => {
      worker.on("message", (reply: Reply) => {
        if (reply.type === "ready") {
          // An idle worker must not keep the process (a test run, a CLI) alive; a running
          // request's timeout timer keeps it alive while it waits for an answer.
          worker.unref();
          resolve(reply.version ?? "unknown");
        } else {
          this.onReply(worker, reply);
        }
      });
      const lost = (reason: string) => {
        reject(new Error(reason));
        if (this.worker !== worker) return;
        this.worker = null;
        this.ready = null;
        this.failRunning(reason, false);
        this.pump();
      };
      worker.on("error", (error) => lost(`the type checker crashed (${error.message})`));
      worker.on("exit", (code) => lost(`the type checker stopped (exit code ${code})`));
    });
    // Observed through `running` / `warm()`; an unobserved rejection must not crash the server.
    this.ready.catch(() => {});
    return this.ready;
  }

  private pump(): void {
    if (this.running) return;
    const request = this.queue.shift();
    if (!request) return;
    clearTimeout(request.queueTimer);
    const id = this.nextId++;
    // A cold start (loading the compiler and the declarations) has its own, longer budget.
    const running: Running = { id, request, timer: this.deadline(id, this.startupTimeoutMs, `the type checker did not start within ${seconds(this.startupTimeoutMs)}`) };
    this.running = running;
    this.start()
      .then((version) => {
        if (this.running?.id !== id) return;
        this.compilerVersion = version;
        clearTimeout(running.timer);
        running.timer = this.deadline(id, this.timeoutMs, `the type check did not finish within ${seconds(this.timeoutMs)}`);
        this.worker?.postMessage({ id, files: request.files });
      })
      .catch(() => {
        // `lost` has already answered the running request.
      });
  }

  private deadline(id: number, ms: number, reason: string): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      if (this.running?.id !== id) return;
      // A worker that does not answer cannot be trusted with the next document: replace it.
      this.failRunning(reason, true);
      this.pump();
    }, ms);
  }

  private onReply(worker: Worker, reply: Reply): void {
    const running = this.running;
    if (worker !== this.worker || !running || reply.id !== running.id) return;
    clearTimeout(running.timer);
    this.running = null;
    if (reply.error !== undefined || !reply.files) {
      running.request.resolve({ ok: false, reason: `the type checker failed (${reply.error ?? "no result"})` });
    } else {
      running.request.resolve({ ok: true, files: reply.files, ms: reply.ms ?? 0, compilerVersion: this.compilerVersion });
    }
    this.pump();
  }

  private failRunning(reason: string, restart: boolean): void {
    const running = this.running;
    if (running) {
      clearTimeout(running.timer);
      this.running = null;
      running.request.resolve({ ok: false, reason });
    }
    if (restart && this.worker) {
      const worker = this.worker;
      this.worker = null;
      this.ready = null;
      void worker.terminate();
    }
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
