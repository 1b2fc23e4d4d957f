/**
 * The server's start-up (lib/server-startup.ts, what instrumentation.ts runs when Next.js boots)
 * marks documents a dead process left `generating` as `interrupted`, with a message that offers
 * Continue, before any request is served, when AUTO_RESUME=0 (with the default, 1, it resumes them:
 * tests/cluster and e2e/restart.spec.ts).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { DocumentStore } from "@/lib/store/document-store";

it("with AUTO_RESUME=0, marks documents left `generating` by a previous process as interrupted, and leaves the others alone", async () => {
  const databaseUrl = `file:${path.join(mkdtempSync(path.join(tmpdir(), "studio-startup-")), "studio.db")}`;
  const previous = await DocumentStore.open(databaseUrl);
  const base = { topicKey: "k", model: "fake-model", promptStyle: "seed", promptVersion: "mp-test", clientKey: null, editTokenHash: null, ownerScope: null } as const;
  const killed = await previous.create({ id: "left-generating-000001", topic: "Killed Mid Stream", ...base });
  await previous.checkpoint(killed, "# Killed\n\nSome text 🦀", 1, { history: [] });
  const done = await previous.create({ id: "already-complete-00001", topic: "Done", ...base });
  await previous.finish(done, { status: "complete", markdown: "# Done\n", error: null, report: null, continuations: 0, history: [] });
  await previous.close();

  Object.assign(process.env, { DATABASE_URL: databaseUrl, OPENAI_BASE_URL: "", OPENAI_API_KEY: "", OPENAI_MODEL: "", AUTO_RESUME: "0" });
  await import("@/lib/server-startup");

  const { getStudio, INTERRUPTED_MESSAGE } = await import("@/lib/studio");
  const { store } = await getStudio();
  expect(await store.get("left-generating-000001")).toMatchObject({ status: "interrupted", error: INTERRUPTED_MESSAGE, markdown: "# Killed\n\nSome text 🦀", continuations: 1 });
  expect(INTERRUPTED_MESSAGE).toMatch(/Continue/);
  expect(await store.get("already-complete-00001")).toMatchObject({ status: "complete", error: null });
});
