import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface AppServer {
  url: string;
  process: ChildProcess;
  /** SIGTERM (graceful) by default; waits until the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface AppServerOptions {
  port: number;
  env: Record<string, string>;
  /** Extra `node` flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

/**
 * Starts the production server (`scripts/start.mjs`, needs `npm run build`) as a child process, the
 * way a user runs it, and resolves once it listens. Used by benchmarks and by the restart e2e test.
 */
export function startAppServer({ port, env, nodeArgs = [] }: AppServerOptions): Promise<AppServer> {
  const child = spawn(process.execPath, [...nodeArgs, "scripts/start.mjs"], {
    env: { ...process.env, OPENAI_API_KEY: "", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const server: AppServer = {
    url: `http://127.0.0.1:${port}`,
    process: child,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (data: Buffer) => data.toString().includes("ready on") && resolve(server));
    child.once("exit", (code) => reject(new Error(`the app server exited with ${code} before it was ready`)));
  });
}

/** A throw-away directory for a benchmark's database; removed by the returned function. */
export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  return { path: directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
