import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { createDocument } from "@/lib/documents/create-document";
import type { Requester } from "@/lib/documents/requester";
import { generationKey } from "@/lib/documents/admission";
import { continuationPrompt } from "@/lib/prompts/continuation-prompt";
import { fillMasterPrompt, loadMasterPrompt } from "@/lib/prompts/master-prompt";
import { renderSectionContract, sectionContract } from "@/lib/prompts/section-contract";
import { createStudio } from "@/lib/studio";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { startStudioHarness, type StudioHarness } from "../support/studio-harness";

/** One client (the same scope), as the route would build it from a signed address. */
const CLIENT: Requester = { clientKey: "ip:192.0.2.7", scope: "ip:192.0.2.7", tokenHolder: false, editToken: null };

// No PROMPT_STYLE in the environment: the default, `contract`.
let h: StudioHarness;

beforeAll(async () => {
  delete process.env.PROMPT_STYLE;
  h = await startStudioHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.resetScenario();
  h.fake.requests.length = 0;
});

const contract = loadMasterPrompt("contract");
const seed = loadMasterPrompt("seed");
/** The text of the user messages of the index-th request the fake model received. */
const userMessages = (index: number): string[] =>
  (h.fake.requests[index]?.body?.messages ?? []).filter((message) => message.role === "user").map((message) => (typeof message.content === "string" ? message.content : ""));

describe("PROMPT_STYLE=contract (the default)", () => {
  it("sends the seed prompt and then the section contract, with the topic filled in, and records the style", async () => {
    const { id } = await h.createOk("Bulkheads & Resource Isolation 🚧");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("complete");
    expect(finished.promptStyle).toBe("contract");
    expect(finished.promptVersion).toBe(contract.version);

    const [prompt] = userMessages(0);
    expect(prompt).toBe(fillMasterPrompt(contract.template, "Bulkheads & Resource Isolation 🚧"));
    expect(prompt).toBe(`${fillMasterPrompt(seed.template, "Bulkheads & Resource Isolation 🚧").trimEnd()}\n\n${renderSectionContract().replace("<TOPIC NAME>", "Bulkheads & Resource Isolation 🚧")}\n`);
    expect(prompt).toContain("- Title line `# Bulkheads & Resource Isolation 🚧`.");
  });

  it("after a cut at the output-token limit, reminds the model of the contract and of the section it stopped in", async () => {
    const cut = DEFAULT_DOCUMENT.indexOf("## 3. ") + 40;
    h.fake.setScenario({ lengthAtChar: cut });
    const { id } = await h.createOk("Length Limit In Section Three");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("complete");
    expect(finished.markdown).toBe(DEFAULT_DOCUMENT);
    expect(h.fake.requests[1]?.isContinuation).toBe(true);
    const continuation = userMessages(1)[1];
    expect(continuation).toBe(continuationPrompt("contract", DEFAULT_DOCUMENT.slice(0, cut)));
    expect(continuation).toContain("SECTION CONTRACT");
    expect(continuation?.endsWith(sectionContract(3))).toBe(true);
  });
});

describe("the style in the generation key", () => {
  it("differs by style even for the same topic, model and version", () => {
    const document = { topicKey: "rate limiting", model: "m", promptVersion: "mp-000000000000", mode: "single" as const };
    expect(generationKey({ ...document, promptStyle: "seed" })).not.toBe(generationKey({ ...document, promptStyle: "contract" }));
  });

  it("a document written with one style is not 'already generated' for the other", async () => {
    const databaseFile = path.join(mkdtempSync(path.join(tmpdir(), "prompt-style-")), "studio.db");
    const env = { OPENAI_BASE_URL: h.fake.url, OPENAI_MODEL: "fake-model", DATABASE_URL: `file:${databaseFile}`, RATE_LIMIT_PER_HOUR: "1000" };
    const seedStudio = await createStudio(parseConfig({ ...env, PROMPT_STYLE: "seed" }));
    const contractStudio = await createStudio(parseConfig({ ...env, PROMPT_STYLE: "contract" }));
    const finish = async (studio: typeof seedStudio, id: string) => studio.registry.get(id)?.done;
    try {
      const first = await createDocument(seedStudio, { topic: "Cache Stampede" }, CLIENT);
      expect(first.outcome).toBe("created");
      expect(first.document.promptStyle).toBe("seed");
      await finish(seedStudio, first.document.id);

      // The seed document is complete; the contract studio still writes its own.
      const other = await createDocument(contractStudio, { topic: "cache stampede" }, CLIENT);
      expect(other.outcome).toBe("created");
      expect(other.document.promptStyle).toBe("contract");
      // While it runs, an identical contract request attaches to it...
      const attached = await createDocument(contractStudio, { topic: "Cache Stampede" }, CLIENT);
      expect(attached).toMatchObject({ outcome: "coalesced", document: { id: other.document.id } });
      await finish(contractStudio, other.document.id);

      // ...and each style finds its own finished document.
      const again = await createDocument(seedStudio, { topic: "Cache Stampede" }, CLIENT);
      expect(again).toMatchObject({ outcome: "already_generated", document: { id: first.document.id, promptStyle: "seed" } });
      const againContract = await createDocument(contractStudio, { topic: "Cache Stampede" }, CLIENT);
      expect(againContract).toMatchObject({ outcome: "already_generated", document: { id: other.document.id, promptStyle: "contract" } });
    } finally {
      await seedStudio.registry.interruptAll("test finished");
      await contractStudio.registry.interruptAll("test finished");
      await seedStudio.store.close();
      await contractStudio.store.close();
    }
  });

  it("continues a document with the style that started it, whatever PROMPT_STYLE is now", async () => {
    const databaseFile = path.join(mkdtempSync(path.join(tmpdir(), "prompt-style-")), "studio.db");
    const env = { OPENAI_BASE_URL: h.fake.url, OPENAI_MODEL: "fake-model", DATABASE_URL: `file:${databaseFile}`, RATE_LIMIT_PER_HOUR: "1000" };
    const seedStudio = await createStudio(parseConfig({ ...env, PROMPT_STYLE: "seed" }));
    h.fake.setScenario({ stallAtChar: 500 });
    const created = await createDocument(seedStudio, { topic: "Leader Election" }, CLIENT);
    const { document } = created;
    // Its creator continues it: the browser that created it sends the edit token.
    const creator: Requester = { ...CLIENT, editToken: created.outcome === "created" ? created.editToken : null };
    await h.fake.waitFor((requests) => requests.some((request) => request.outcome === "stall"));
    await seedStudio.registry.cancel(document.id);
    await seedStudio.store.close();

    h.fake.resetScenario();
    h.fake.requests.length = 0;
    const contractStudio = await createStudio(parseConfig({ ...env, PROMPT_STYLE: "contract" }));
    try {
      const { continueDocument } = await import("@/lib/documents/resume-document");
      const resumed = await continueDocument(contractStudio, document.id, creator);
      expect(resumed.promptStyle).toBe("seed");
      await contractStudio.registry.get(document.id)?.done;
      const [prompt, continuation] = userMessages(0);
      expect(prompt).toBe(fillMasterPrompt(seed.template, "Leader Election"));
      expect(continuation).toBe(continuationPrompt("seed", DEFAULT_DOCUMENT.slice(0, 500)));
      expect((await contractStudio.store.get(document.id))?.status).toBe("complete");
    } finally {
      await contractStudio.registry.interruptAll("test finished");
      await contractStudio.store.close();
    }
  });
});
