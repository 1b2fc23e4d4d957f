import "server-only";
import { formatWithOptions } from "node:util";

const METHODS = ["error", "warn", "log", "info", "debug"] as const;
const INSTALLED = Symbol.for("design-doc-studio.redacting-console");

type PatchableConsole = Pick<Console, (typeof METHODS)[number]> & { [INSTALLED]?: true };

/**
 * Routes everything this process logs through `redact`: the app's own messages, the errors it
 * logs (whose messages and properties can quote a provider's answer), and what Next.js logs.
 * Arguments are formatted as console would format them, then redacted as one string.
 * Installed once per process; later calls keep the first redaction.
 */
export function redactConsole(redact: (text: string) => string, target: PatchableConsole = console): void {
  if (target[INSTALLED]) return;
  target[INSTALLED] = true;
  for (const method of METHODS) {
    const original = target[method].bind(target);
    target[method] = (...args: unknown[]) => original(redact(formatWithOptions({ colors: false }, ...args)));
  }
}
