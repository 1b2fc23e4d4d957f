// @ts-check
// A stand-in for the type-check worker that fails on demand, to test the client's timeout,
// crash handling and restart. The first file's name says what to do.
import { parentPort } from "node:worker_threads";

const port = parentPort;
if (!port) throw new Error("runs as a worker thread");
port.postMessage({ type: "ready", version: "misbehaving" });
port.on("message", (/** @type {{ id: number, files: { name: string }[] }} */ message) => {
  const action = message.files[0]?.name;
  if (action === "hang.ts") for (;;); // a compiler stuck in a loop: only terminate() stops it
  if (action === "crash.ts") throw new Error("compiler blew up");
  if (action === "exit.ts") process.exit(3);
  port.postMessage({ id: message.id, files: message.files.map((file) => ({ name: file.name, diagnostics: [], errorCount: 0, assumed: [] })), ms: 1 });
});
