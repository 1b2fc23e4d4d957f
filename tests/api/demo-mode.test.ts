import { describe, expect, it } from "vitest";
import { demoFirstPass, DEMO_DRAFT_DAMAGES } from "@/lib/examples/demo-drafts";
import { findExampleBySlug, getLibrary } from "@/lib/examples/library";
import { useStudioHarness } from "../support/studio-harness";

// The product's default: the automatic repair is on.
const h = useStudioHarness({ DEMO_STREAM_SECONDS: "1", REPAIR: "on" }, { provider: false });

describe("without a model provider", () => {
  it("answers 503 with set-up instructions and the demo topics for other topics", async () => {
    const response = await h.create({ topic: "Consistent Hashing" });
    expect(response.status).toBe(503);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("provider_not_configured");
    expect(error.message).toContain("OPENAI_API_KEY");
    expect(error.message).toContain("OPENAI_BASE_URL=http://127.0.0.1:11434/v1");
    for (const example of getLibrary()) expect(error.message).toContain(`"${example.topic}"`);
    expect(h.fake.requests).toHaveLength(0);
  });

  it("streams a library example through the real pipeline, labelled as the demo", async () => {
    const example = getLibrary()[0]!;
    const response = await h.create({ topic: example.topic.toUpperCase() });
    expect(response.status).toBe(201);
    const { id, model } = (await response.json()) as { id: string; model: string };
    expect(model).toBe("demo");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("complete");
    expect(finished.model).toBe("demo");
    expect(finished.markdown).toBe(example.markdown);
    expect(finished.sections?.every((section) => section.state === "satisfied")).toBe(true);
    expect(h.fake.requests).toHaveLength(0);
  });

  it("continues an interrupted demo document from its text", async () => {
    const example = getLibrary()[1]!;
    const { id } = await h.createOk(example.topic);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await h.action(id, "cancel");
    const partial = await h.getJson(id);
    expect(partial.markdown.length).toBeGreaterThan(0);
    expect(partial.markdown.length).toBeLessThan(example.markdown.length);
    await h.action(id, "continue");
    expect((await h.waitUntilFinished(id)).markdown).toBe(example.markdown);
  });

  it("Request Deduplication streams a deficient draft, then repairs it live from the real sections", async () => {
    const example = findExampleBySlug("request-deduplication")!;
    expect(DEMO_DRAFT_DAMAGES[example.slug]?.length).toBeGreaterThan(0);
    const { id } = await h.createOk(example.topic);
    const finished = await h.waitUntilFinished(id, 60_000);
    expect(finished).toMatchObject({ status: "complete", version: 2, markdown: example.markdown, satisfied: 12 });
    expect(finished.repair?.rounds[0]?.sections.map((section) => [section.number, section.state])).toEqual([
      [4, "accepted"],
      [7, "accepted"],
      [10, "accepted"],
    ]);
    expect(await (await h.markdown(id, 1)).text()).toBe(demoFirstPass(example));
    expect(h.fake.requests).toHaveLength(0);
  });

  it("refuses a real model name", async () => {
    expect((await h.create({ topic: getLibrary()[0]!.topic, model: "gpt-4.1" })).status).toBe(503);
  });
});
