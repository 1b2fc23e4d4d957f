// @ts-check
// A stand-in for the type-check worker that fails on demand, to test the client's timeout,
// crash handling and restart. A marker in any file's text says what to do.
import { parentPort } from "node:worker_threads";

const port = parentPort;
if (!port) throw new Error("runs as a worker thread");
port.postMessage({ type: "ready", version: "misbehaving" });
port.on("message", (/** @type {{ id: number, files: { name: string, text: string }[] }} */ message) => {
  const text = message.files.map((file) => file.text).join("\n");
  if (text.includes("HANG_THE_CHECKER")) for (;;); // a compiler stuck in a loop: only terminate() stops it
  if (text.includes("CRASH_THE_CHECKER")) throw new Error("compiler blew up");
  if (text.includes("EXIT_THE_CHECKER")) process.exit(3);
  port.postMessage({ id: message.id, files: message.files.map((file) => ({ name: file.name, diagnostics: [], errorCount: 0, assumed: [] })), ms: 1 });
});
