/**
 * Runs the fake OpenAI server as its own process (for Playwright / `next start`).
 *
 *   tsx tests/support/fake-openai/cli.ts --port 4010 [--host 127.0.0.1]
 *       [--document-file path] [--chunk-size N] [--delay-ms N] [--first-token-delay-ms N]
 *
 * The flags become the server's defaults, i.e. what POST /__control/reset returns to.
 * Prints "fake-openai listening on http://127.0.0.1:PORT/v1" once ready and runs
 * until SIGTERM/SIGINT.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { startFakeOpenAI, type Scenario } from "./server";

const USAGE =
  "usage: tsx tests/support/fake-openai/cli.ts [--port N] [--host H] [--document-file PATH] [--chunk-size N] [--delay-ms N] [--first-token-delay-ms N]";

function fail(message: string): never {
  console.error(`fake-openai: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { port: number; host: string; defaults: Partial<Scenario> } {
  let port = 4010;
  let host = "127.0.0.1";
  const defaults: Partial<Scenario> = {};
  const int = (flag: string, value: string | undefined): number => {
    if (value === undefined || !/^\d+$/.test(value)) fail(`${flag} expects a non-negative integer, got ${String(value)}`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const next = () => value ?? argv[++i];
    switch (flag) {
      case "--port":
        port = int(flag, next());
        break;
      case "--host":
        host = next() ?? fail("--host expects a value");
        break;
      case "--document-file": {
        const file = next() ?? fail("--document-file expects a path");
        try {
          defaults.document = readFileSync(path.resolve(file), "utf8");
        } catch (err) {
          fail(`cannot read --document-file ${file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        break;
      }
      case "--chunk-size":
        defaults.chunkSize = int(flag, next());
        break;
      case "--delay-ms":
        defaults.delayMs = int(flag, next());
        break;
      case "--first-token-delay-ms":
        defaults.firstTokenDelayMs = int(flag, next());
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${arg}`);
    }
  }
  return { port, host, defaults };
}

async function main(): Promise<void> {
  const { port, host, defaults } = parseArgs(process.argv.slice(2));
  const fake = await startFakeOpenAI({ port, host, defaults });
  console.log(`fake-openai listening on ${fake.url}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`fake-openai: ${signal}, shutting down`);
    void fake.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err: unknown) => {
  console.error(`fake-openai: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
