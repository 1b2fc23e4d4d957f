import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { documentText, type PartProgress } from "@/lib/documents/section-parts";
import { sectionPrompt } from "@/lib/prompts/master-prompt";
import { sectionContract } from "@/lib/prompts/section-contract";
import { messageText, type RecordedRequest } from "../support/fake-openai/server";
import { orderedParts, readParallelStream } from "../support/parallel-reader";
import { consumeDocumentStream } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const SECTION_CONCURRENCY = 4;
const h = useStudioHarness({ SECTION_CONCURRENCY: String(SECTION_CONCURRENCY) });

/** A 48 KB library document: the fake model answers the outline and every section from it. */
const FIXTURE = readFileSync("lib/examples/library/circuit-breaker.md", "utf8");
const FAST = { document: FIXTURE, chunkSize: 300, delayMs: 2 };

interface ParallelJson {
  status: string;
  markdown: string;
  error: string | null;
  mode: string;
  tokensUsed: number;
  inputTokens: number;
  outputTokens: number;
  continuations: number;
  outline: { title: string; incorrectApproaches: unknown[] } | null;
  parts: { section: number; part: number; parts: number; state: string; error: string | null; length: number; inputTokens: number; outputTokens: number; continuations: number }[] | null;
  satisfied: number | null;
}

const getJson = async (id: string) => (await (await h.get(id)).json()) as ParallelJson;
const finish = async (id: string) => {
  await h.waitUntilFinished(id, 60_000);
  return getJson(id);
};
const firstUser = (request: RecordedRequest | undefined) => messageText(request?.body?.messages?.find((message) => message.role === "user"));
const requestFor = (planned: string) => h.fake.requests.filter((request) => request.planned === planned);

describe("parallel mode: outline first, then the sections in parallel", () => {
  it("writes the document the fixture is, with one outline request and one request per part, at most SECTION_CONCURRENCY at once", async () => {
    h.fake.setScenario(FAST);
    const created = await h.create({ topic: "Circuit Breaker", mode: "parallel", fresh: true });
    expect(created.status).toBe(201);
    const { id, mode } = (await created.json()) as { id: string; mode: string };
    expect(mode).toBe("parallel");
    const read = await readParallelStream((await h.stream(id)).body!);
    const finished = await finish(id);

    expect(finished).toMatchObject({ status: "complete", mode: "parallel", error: null });
    expect(finished.markdown).toBe(FIXTURE);
    // Readers that know only `text` and `end` got the same document.
    expect(read.text).toBe(FIXTURE);
    expect(read.end?.status).toBe("complete");
    // Each part's own channel holds its part; together, in order, they are the document.
    expect(documentText(orderedParts(read), true)).toBe(FIXTURE);
    expect(read.outline?.title).toBe("Circuit Breaker");

    const planned = h.fake.requests.map((request) => request.planned);
    expect(planned[0]).toBe("outline");
    expect(planned.slice(1).sort()).toEqual(["1", "10", "11", "12", "2", "3", "4", "5.1", "5.2", "6", "7", "8", "9"]);
    expect(h.fake.requests.every((request) => request.outcome === "stop")).toBe(true);
    // The outline came back before any section was asked for, and asked for a JSON schema.
    const outline = h.fake.requests[0]!;
    expect(h.fake.requests.slice(1).every((request) => request.startedAt >= outline.endedAt!)).toBe(true);
    expect((outline.body?.response_format as { type?: string } | undefined)?.type).toBe("json_schema");
    // Never more than SECTION_CONCURRENCY section requests open at once, and that many were.
    const sections = h.fake.requests.slice(1);
    const openAt = (time: number) => sections.filter((request) => request.startedAt <= time && (request.endedAt ?? Infinity) > time).length;
    const peak = Math.max(...sections.map((request) => openAt(request.startedAt)));
    expect(peak).toBe(SECTION_CONCURRENCY);
    // Sections 4, 9 and 10 contrast with section 2: they start once it is written, and read it.
    const section2 = requestFor("2")[0]!;
    for (const number of ["4", "9", "10"]) {
      const request = requestFor(number)[0]!;
      expect(request.startedAt).toBeGreaterThanOrEqual(section2.endedAt!);
      expect(firstUser(request)).toContain("SECTION 2 AS WRITTEN");
      expect(firstUser(request)).toContain("### ❌ Incorrect Approach #1");
    }
    expect(firstUser(requestFor("1")[0])).not.toContain("SECTION 2 AS WRITTEN");

    // The document's tokens are the sum of its requests' (the fake counts 4 characters a token).
    const parts = finished.parts!;
    expect(finished.inputTokens).toBe(parts.reduce((sum, part) => sum + part.inputTokens, 0));
    expect(finished.outputTokens).toBe(parts.reduce((sum, part) => sum + part.outputTokens, 0));
    expect(finished.tokensUsed).toBe(finished.inputTokens + finished.outputTokens);
    expect(finished.outputTokens).toBeGreaterThan(FIXTURE.length / 4);
    expect(read.tokens).toEqual({ inputTokens: finished.inputTokens, outputTokens: finished.outputTokens });
    expect(finished.satisfied).toBe(12);
  });

  it("sends each section request only its own part of the master prompt and its contract block", async () => {
    h.fake.setScenario(FAST);
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    await finish(id);
    for (const number of [1, 7, 12]) {
      const prompt = firstUser(requestFor(String(number))[0]);
      expect(prompt).toContain(`SECTION TO WRITE: ${number}\n`);
      expect(prompt).toContain(sectionPrompt(number).masterPrompt);
      expect(prompt).toContain(sectionContract(number));
      for (const other of [1, 7, 12].filter((candidate) => candidate !== number)) {
        expect(prompt).not.toContain(sectionPrompt(other).masterPrompt);
        expect(prompt).not.toContain(sectionContract(other));
      }
      expect(prompt).toContain("TOPIC: Circuit Breaker");
      // The plan, not the whole master prompt.
      expect(prompt).not.toContain("Begin generating the Markdown document now.");
    }
    const part2 = firstUser(requestFor("5.2")[0]);
    expect(part2).toContain("SECTION TO WRITE: 5 (part 2 of 2)");
    expect(part2).toContain("Do NOT write the section heading");
  });

  it("keeps the text channel in order while the parts fill at once, and shows the title first", async () => {
    h.fake.setScenario({ ...FAST, chunkSize: 60, delayMs: 4, firstTokenDelayMs: 50 });
    const started = performance.now();
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    let writingAtOnce = 0;
    let firstTextEvent: string | null = null;
    const read = await readParallelStream((await h.stream(id)).body!, {
      onEvent(event, current) {
        if (event.type === "text") firstTextEvent ??= event.delta;
        writingAtOnce = Math.max(writingAtOnce, [...current.parts.values()].filter((part) => part.state === "writing").length);
      },
    });
    expect(read.text).toBe(FIXTURE);
    expect(writingAtOnce).toBe(SECTION_CONCURRENCY);
    // The head streams from the outline: the title is the first text readers see.
    expect(firstTextEvent).toMatch(/^# Circuit Breaker\n\n/);
    const sectionsStarted = read.parts.get("2.1")!.states.find((change) => change.state === "writing")!.at;
    expect(read.firstTextAt! - started).toBeLessThan(sectionsStarted - started);
  });
});

describe("re-attaching mid-generation", () => {
  it("replays the outline, every part's text and state, then continues each channel exactly", async () => {
    h.fake.setScenario({ ...FAST, chunkSize: 20, delayMs: 5 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    await h.fake.waitFor((requests) => requests.filter((request) => request.planned !== "outline" && request.servedChars > 600).length >= 3, 20_000);

    // A second reader attaches now: its first events are the state so far.
    const late = await h.stream(id);
    const replay: string[] = [];
    let live = false;
    const read = await readParallelStream(late.body!, {
      onEvent(event, current) {
        if (live) return;
        replay.push(event.type);
        if (event.type === "section-state" && current.parts.size === 14 && [...current.parts.values()].every((part) => part.state !== null)) {
          live = true;
          // The replay is one consistent state: the text channel is exactly the complete parts in
          // order and the first unfinished one; complete parts whole, waiting ones empty.
          expect(current.text).toBe(documentText(orderedParts(current), false));
          const parts = [...current.parts.values()];
          const writing = parts.filter((part) => part.state === "writing");
          expect(writing.length).toBeGreaterThan(0);
          expect(writing.every((part) => part.text.length > 0 && FIXTURE.includes(part.text))).toBe(true);
          expect(parts.filter((part) => part.state === "queued").every((part) => part.text === "")).toBe(true);
          expect(parts.filter((part) => part.state === "complete").every((part) => FIXTURE.includes(part.text))).toBe(true);
        }
      },
    });
    expect(replay[0]).toBe("text");
    expect(replay).toContain("outline");
    expect(read.text).toBe(FIXTURE);
    expect(documentText(orderedParts(read), true)).toBe(FIXTURE);

    // An old client resuming from an offset gets the rest of the text channel, then the end.
    const middle = Math.floor(FIXTURE.length / 2);
    const rest = await consumeDocumentStream((await h.stream(id, `?from=${middle}`)).body!, middle);
    expect(rest.text).toBe(FIXTURE.slice(middle));
    expect(rest.end?.status).toBe("complete");
  });
});

describe("a stored parallel document", () => {
  it("replays its text, its outline and its parts from storage, then `end`", async () => {
    h.fake.setScenario(FAST);
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const finished = await finish(id);
    expect(h.studio.registry.get(id)).toBeUndefined();
    const read = await readParallelStream((await h.stream(id)).body!);
    expect(read.text).toBe(FIXTURE);
    expect(read.outline?.title).toBe("Circuit Breaker");
    expect(documentText(orderedParts(read), true)).toBe(FIXTURE);
    expect([...read.parts.values()].every((part) => part.state === "complete")).toBe(true);
    expect(read.tokens).toEqual({ inputTokens: finished.inputTokens, outputTokens: finished.outputTokens });
    expect(read.end?.status).toBe("complete");
  });
});

describe("a failed section fails only itself", () => {
  it("keeps every other part, says which section failed, and the retry of that section alone completes the document", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "7", resetAtChar: 700 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const failed = await finish(id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^Section 7 failed \(section 7: The connection to the model provider was lost/);
    expect(failed.error).toMatch(/retry section 7 on its own/);
    const states = Object.fromEntries(failed.parts!.map((part) => [`${part.section}.${part.part}`, part.state]));
    expect(states["7.1"]).toBe("failed");
    expect(Object.entries(states).filter(([key]) => key !== "7.1").every(([, state]) => state === "complete")).toBe(true);
    // The stored document is every part in order: section 7 as far as it got, then sections 8 to 12.
    const section7Start = FIXTURE.indexOf("## 7. ");
    const section8Start = FIXTURE.indexOf("## 8. ");
    expect(failed.markdown).toBe(`${FIXTURE.slice(0, section7Start + 700)}\n\n${FIXTURE.slice(section8Start)}`);
    expect((await (await h.markdown(id)).text())).toBe(failed.markdown);

    h.fake.clearRequests();
    const retried = await h.sectionRetry(id, 7);
    expect(retried.status).toBe(202);
    const restarted = (await retried.json()) as ParallelJson;
    expect(restarted.status).toBe("generating");
    // The text channel starts again from the parts in order, up to section 7.
    expect(restarted.markdown).toBe(FIXTURE.slice(0, section7Start));
    const done = await finish(id);
    expect(done.status).toBe("complete");
    expect(done.markdown).toBe(FIXTURE);
    expect(h.fake.requests.map((request) => request.planned)).toEqual(["7"]);
    expect(h.fake.requests[0]?.isContinuation).toBe(false);
  });

  it("Continue finishes an unfinished section from its text", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "3", resetAtChar: 1_000 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    expect((await finish(id)).status).toBe("failed");
    h.fake.clearRequests();
    expect((await h.action(id, "continue")).status).toBe(202);
    const done = await finish(id);
    expect(done.markdown).toBe(FIXTURE);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.fake.requests[0]).toMatchObject({ planned: "3", isContinuation: true, continuationChars: 1_000, prefixMismatch: false });
    // A section's continuation is told to finish that section, not the document.
    const messages = h.fake.requests[0]?.body?.messages ?? [];
    expect(messageText(messages.at(-1))).toMatch(/Continue section 3 exactly where it stops/);
  });

  it("continues a section cut at the output-token limit automatically", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "2", lengthAtChar: 1_500 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const done = await finish(id);
    expect(done.markdown).toBe(FIXTURE);
    expect(done.continuations).toBe(1);
    expect(done.parts!.find((part) => part.section === 2)?.continuations).toBe(1);
    expect(requestFor("2").map((request) => [request.finishReason, request.isContinuation])).toEqual([
      ["length", false],
      ["stop", true],
    ]);
  });

  it("retries a section refused before its first token with backoff, and only that section", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "9", failBeforeStream: 2 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    expect((await finish(id)).markdown).toBe(FIXTURE);
    expect(requestFor("9").map((request) => request.outcome)).toEqual(["http-error", "http-error", "stop"]);
    expect(h.fake.requests.filter((request) => request.outcome === "http-error")).toHaveLength(2);
  });

  it("times out a stalled part after IDLE_TIMEOUT_MS, not before, while the others complete", async () => {
    // The stall comes after the first-token window (3 s here): the watchdog then measures silence from the last text.
    h.fake.setScenario({ ...FAST, chunkSize: 60, delayMs: 30, faultTarget: "5.2", stallAtChar: 8_000, faultOnce: true });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    let stalledAt = 0;
    const read = await readParallelStream((await h.stream(id)).body!, {
      onEvent(event, current) {
        if (!stalledAt && (current.parts.get("5.2")?.text.length ?? 0) >= 7_900) stalledAt = performance.now();
      },
    });
    const part = read.parts.get("5.2")!;
    expect(part.state).toBe("failed");
    expect(part.error).toMatch(/IDLE_TIMEOUT_MS/);
    const failedAt = part.states.at(-1)!.at;
    // IDLE_TIMEOUT_MS is 1500 in the harness; the transport adds at most a flush interval.
    expect(failedAt - stalledAt).toBeGreaterThanOrEqual(1_400);
    expect(failedAt - stalledAt).toBeLessThan(3_000);
    expect([...read.parts.values()].filter((other) => other !== part).every((other) => other.state === "complete")).toBe(true);
  });
});

describe("Stop, and the outline's failures", () => {
  it("Stop aborts every open request; Continue then finishes the document exactly", async () => {
    h.fake.setScenario({ ...FAST, chunkSize: 10, delayMs: 10 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    await h.fake.waitFor((requests) => requests.filter((request) => request.planned !== "outline" && request.servedChars > 100).length === SECTION_CONCURRENCY, 20_000);
    const open = h.fake.requests.filter((request) => request.outcome === "streaming");
    expect(open).toHaveLength(SECTION_CONCURRENCY);
    expect((await h.action(id, "cancel")).status).toBe(200);
    await h.fake.waitFor(() => open.every((request) => request.closedByClient), 2_000);
    const stopped = await getJson(id);
    expect(stopped.status).toBe("cancelled");
    const states = new Set(stopped.parts!.map((part) => part.state));
    expect(states.has("writing")).toBe(false);
    expect(states.has("queued")).toBe(false);
    expect(stopped.parts!.filter((part) => part.state === "cancelled").length).toBeGreaterThan(SECTION_CONCURRENCY);

    h.fake.setScenario(FAST);
    await h.action(id, "continue");
    const done = await finish(id);
    expect(done.markdown).toBe(FIXTURE);
    expect(h.fake.requests.filter((request) => request.planned === "outline")).toHaveLength(1);
  });

  it("accepts an outline in a code fence (a server that ignores the response format)", async () => {
    h.fake.setScenario({ ...FAST, outlineFormat: "fenced" });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    expect((await finish(id)).markdown).toBe(FIXTURE);
    expect(requestFor("outline")).toHaveLength(1);
  });

  it("retries an invalid outline once, with an explicit instruction and without the response format", async () => {
    h.fake.setScenario({ ...FAST, outlineFormat: "invalid-once" });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    expect((await finish(id)).markdown).toBe(FIXTURE);
    const [first, second] = requestFor("outline");
    expect(first?.body?.response_format).toBeDefined();
    expect(second?.body?.response_format).toBeUndefined();
    expect(firstUser(second)).toMatch(/A previous answer was rejected: it was not a valid outline: the answer is not a JSON object/);
  });

  it("retries once without the response format when the server refuses it", async () => {
    h.fake.setScenario({ ...FAST, refuseResponseFormat: true });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    expect((await finish(id)).markdown).toBe(FIXTURE);
    expect(requestFor("outline").map((request) => request.status)).toEqual([400, 200]);
  });

  it("fails clearly when the outline is invalid twice, and writes no section", async () => {
    h.fake.setScenario({ ...FAST, outlineFormat: "prose" });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const failed = await finish(id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/The model did not return a valid outline, twice \(the answer is not a JSON object\)/);
    expect(failed.error).toMatch(/single mode/);
    expect(h.fake.requests.map((request) => request.planned)).toEqual(["outline", "outline"]);
    expect(failed.parts!.find((part) => part.section === 0)?.state).toBe("failed");
    // Continue writes the outline again.
    h.fake.setScenario({ outlineFormat: "json" });
    await h.action(id, "continue");
    expect((await finish(id)).markdown).toBe(FIXTURE);
  });
});

describe("the API of the mode", () => {
  it("keeps single and parallel documents of one topic apart (coalescing, already generated)", async () => {
    h.fake.setScenario({ ...FAST, chunkSize: 100, delayMs: 5 });
    const parallel = (await (await h.create({ topic: "Circuit Breaker", mode: "parallel", fresh: true })).json()) as { id: string };
    const sameParallel = await h.create({ topic: "Circuit Breaker", mode: "parallel" });
    expect(sameParallel.status).toBe(200);
    expect(await sameParallel.json()).toMatchObject({ id: parallel.id, coalesced: true, mode: "parallel" });
    h.fake.setScenario(FAST);
    const single = await h.create({ topic: "Circuit Breaker", mode: "single" });
    expect(single.status).toBe(201);
    const singleId = ((await single.json()) as { id: string }).id;
    expect(singleId).not.toBe(parallel.id);
    await finish(parallel.id);
    await finish(singleId);
    expect((await getJson(singleId)).mode).toBe("single");
    // Without "mode", GENERATION_MODE (single here) decides.
    expect(await (await h.create({ topic: "Circuit Breaker" })).json()).toMatchObject({ id: singleId, alreadyGenerated: true, mode: "single" });
    expect(await (await h.create({ topic: "Circuit Breaker", mode: "parallel" })).json()).toMatchObject({ id: parallel.id, alreadyGenerated: true });
  });

  it.each([
    [{ topic: "Circuit Breaker", mode: "fast" }, /mode must be "single" or "parallel"/],
    [{ topic: "Circuit Breaker", mode: 1 }, /mode must be/],
  ])("refuses a bad mode with a 400: %j", async (body, message) => {
    const response = await h.create(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_mode", message: expect.stringMatching(message) } });
  });

  it("answers the retry of a section with clear refusals", async () => {
    h.fake.setScenario(FAST);
    const single = await h.createOk("Circuit Breaker", { mode: "single" });
    await finish(single.id);
    expect(await (await h.sectionRetry(single.id, 3)).json()).toMatchObject({ error: { code: "not_parallel" } });
    expect((await h.sectionRetry(single.id, 3)).status).toBe(409);

    h.fake.setScenario({ ...FAST, chunkSize: 10, delayMs: 20 });
    const running = await h.createOk("Circuit Breaker", { mode: "parallel" });
    expect((await h.sectionRetry(running.id, 3)).status).toBe(409);
    for (const bad of ["0", "13", "x", "1.5", "-1"]) {
      const response = await h.sectionRetry(running.id, bad);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_section" } });
    }
    expect((await h.sectionRetry(running.id, 3, { "x-edit-token": "" })).status).toBe(403);
    await h.action(running.id, "cancel");
  });
});

describe("a parallel document across a restart", () => {
  it("checkpoints every part; an interrupted document continues from them", async () => {
    h.fake.setScenario({ ...FAST, chunkSize: 10, delayMs: 10 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    await h.fake.waitFor((requests) => requests.filter((request) => request.planned !== "outline" && request.servedChars > 300).length >= 3, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 250)); // a checkpoint or two
    await h.studio.registry.interruptAll("The server is restarting.");
    const interrupted = await getJson(id);
    expect(interrupted.status).toBe("interrupted");
    const stored = (await h.studio.store.get(id))!;
    const written = stored.parallel!.parts.filter((part: PartProgress) => part.text.length > 300);
    expect(written.length).toBeGreaterThanOrEqual(3);
    for (const part of written) expect(FIXTURE).toContain(part.text.trimEnd());
    expect(stored.markdown).toBe(documentText(stored.parallel!.parts, true));

    h.fake.setScenario(FAST);
    h.fake.clearRequests();
    await h.action(id, "continue");
    expect((await finish(id)).markdown).toBe(FIXTURE);
    expect(h.fake.requests.some((request) => request.isContinuation)).toBe(true);
    expect(h.fake.requests.every((request) => request.planned !== "outline" && !request.prefixMismatch)).toBe(true);
  });
});
