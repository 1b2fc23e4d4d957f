import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fillMasterPrompt, loadMasterPrompt } from "@/lib/prompts/master-prompt";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { startStudioHarness, type StudioHarness } from "../support/studio-harness";

let h: StudioHarness;

beforeAll(async () => {
  h = await startStudioHarness({ PROMPT_STYLE: "seed" });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.resetScenario();
  h.fake.requests.length = 0;
});

const seedFile = readFileSync(new URL("../../prompts/master-prompt.txt", import.meta.url), "utf8");
const continuationFile = readFileSync(new URL("../../prompts/continuation-prompt.txt", import.meta.url), "utf8").trim();

describe("PROMPT_STYLE=seed", () => {
  it("sends exactly the seed master prompt, and records the style and the seed's version", async () => {
    const { id } = await h.createOk("Consistent Hashing: Virtual Nodes");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("complete");
    expect(finished.promptStyle).toBe("seed");
    expect(finished.promptVersion).toBe(loadMasterPrompt("seed").version);
    expect(finished.promptVersion).not.toBe(loadMasterPrompt("contract").version);

    const messages = h.fake.requests[0]?.body?.messages;
    expect(messages).toEqual([{ role: "user", content: fillMasterPrompt(seedFile, "Consistent Hashing: Virtual Nodes") }]);
    expect(JSON.stringify(messages)).not.toContain("SECTION CONTRACT");
  });

  it("continues after a cut with the plain continuation instruction", async () => {
    h.fake.setScenario({ lengthAtChar: 900 });
    const { id } = await h.createOk("Length Limit Seed");
    expect((await h.waitUntilFinished(id)).markdown).toBe(DEFAULT_DOCUMENT);
    const messages = h.fake.requests[1]?.body?.messages ?? [];
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(messages[2]?.content).toBe(continuationFile);
  });
});
