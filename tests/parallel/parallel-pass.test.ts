import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import type { DesignDocument } from "@/lib/documents/types";
import type { FirstPassResult } from "@/lib/generation/first-pass";
import { GenerationJob } from "@/lib/generation/job";
import { runParallelPass } from "@/lib/generation/parallel/parallel-pass";
import { continueParts, retrySectionParts } from "@/lib/documents/parallel-restart";
import { documentText } from "@/lib/documents/section-parts";
import { freshProgress } from "@/lib/generation/parallel/plan";
import { getMasterPrompt } from "@/lib/prompts/master-prompt";
import { sectionContinuationInstruction } from "@/lib/prompts/parallel-prompts";
import { REQUEST_DEDUPLICATION } from "../repair/fixtures";
import { designDocument } from "../support/design-document";
import { scriptedParallelModel, type ScriptedAnswer } from "../support/scripted-parallel-model";
import { outlineOf, sectionPart } from "../support/fake-openai/parallel-scenario";

const FIXTURE = REQUEST_DEDUPLICATION;

function runPass(script: Record<string, ScriptedAnswer | ScriptedAnswer[]> = {}, options: { env?: Record<string, string>; document?: Partial<DesignDocument> } = {}) {
  const { model, requests } = scriptedParallelModel(FIXTURE, script);
  const document = designDocument({ topic: "Request Deduplication", mode: "parallel", status: "generating", markdown: "", ...options.document });
  const job = new GenerationJob(document.id, { text: document.markdown, continuations: 0, version: 1 });
  const usages: number[] = [];
  const config = parseConfig({ OPENAI_BASE_URL: "http://127.0.0.1:1/v1", OPENAI_MODEL: "scripted", MAX_ATTEMPTS: "1", SECTION_CONCURRENCY: "3", FIRST_TOKEN_TIMEOUT_MS: "5000", IDLE_TIMEOUT_MS: "5000", ...options.env });
  const result: Promise<FirstPassResult> = runParallelPass({
    job,
    document,
    model,
    prompt: getMasterPrompt("contract"),
    config,
    onUsage: async (usage) => {
      usages.push(usage.outputTokens ?? 0);
    },
  });
  const states = () => job.sideState?.snapshot().parts.map((part) => `${part.section}.${part.part}:${part.state}`) ?? [];
  return { job, requests, usages, result, states };
}

const sectionKeys = (requests: { key: string }[]) => requests.map((request) => request.key).filter((key) => key !== "outline");

describe("parallel mode's first pass", () => {
  it("writes the outline, then every section, and the document is the parts in order", async () => {
    const { job, requests, usages, result } = runPass();
    const outcome = await result;
    expect(outcome).toMatchObject({ status: "complete", continuations: 0 });
    expect(outcome.markdown).toBe(job.text);
    expect(job.text.trimEnd()).toBe(FIXTURE.trimEnd());
    expect(requests[0]).toMatchObject({ key: "outline", structured: true });
    expect(new Set(sectionKeys(requests))).toEqual(new Set(["1", "2", "3", "4", "5.1", "5.2", "6", "7", "8", "9", "10", "11", "12"]));
    expect(usages).toHaveLength(requests.length);
    expect(job.sideState?.snapshot().parts.every((part) => part.state === "complete")).toBe(true);
  });

  it("runs at most SECTION_CONCURRENCY sections at once, section 2 first, and 4, 9 and 10 only after it, with its text", async () => {
    const { requests, result } = runPass();
    await result;
    const sections = requests.filter((request) => request.key !== "outline");
    expect(Math.max(...sections.map((request) => request.inFlight))).toBe(3);
    expect(sections[0]?.key).toBe("2");
    const section2 = sectionPart(FIXTURE, 2, 1, 1).trim();
    for (const key of ["4", "9", "10"]) {
      const request = sections.find((candidate) => candidate.key === key);
      expect(request?.endedBefore).toContain("2");
      expect(request?.prompt).toContain(section2.split("\n").find((line) => line.startsWith("### ")) ?? "###");
    }
    // Sections that do not contrast with section 2 do not wait for it.
    expect(sections.find((request) => request.key === "5.1")?.endedBefore).not.toContain("2");
  });

  it("writes one section at a time with SECTION_CONCURRENCY=1, in its start order", async () => {
    const { requests, result } = runPass({}, { env: { SECTION_CONCURRENCY: "1" } });
    expect((await result).status).toBe("complete");
    expect(sectionKeys(requests)).toEqual(["2", "5.1", "5.2", "4", "9", "7", "3", "1", "10", "6", "8", "12", "11"]);
    expect(Math.max(...requests.map((request) => request.inFlight))).toBe(1);
  });

  it("fails only the section that failed: the others are kept, and the message says what to do", async () => {
    const { job, result, states } = runPass({ "7": { kind: "refuse", status: 500, message: "upstream overloaded" } });
    const outcome = await result;
    expect(outcome.status).toBe("failed");
    const error = outcome.status === "failed" ? outcome.error : "";
    expect(error).toBe(
      "Section 7 failed (section 7: The model provider answered HTTP 500: upstream overloaded). The other sections are kept: retry section 7 on its own, or Continue to finish it from the text written so far.",
    );
    expect(states()).toContain("7.1:failed");
    expect(states().filter((state) => state.endsWith(":complete"))).toHaveLength(13);
    expect(job.text).toContain(sectionPart(FIXTURE, 8, 1, 1).trim());
    expect(job.text).not.toContain(sectionPart(FIXTURE, 7, 1, 1).trim());
  });

  it("names every failed section, and a part of a split one", async () => {
    const refuse = { kind: "refuse", status: 500, message: "boom" } as const;
    const outcome = await runPass({ "3": refuse, "5.2": refuse, "11": refuse }).result;
    const error = outcome.status === "failed" ? outcome.error : "";
    expect(error.startsWith("Sections 3, 5 and 11 failed (section 3: The model provider answered HTTP 500: boom; section 5 (part 2 of 2): ")).toBe(true);
    expect(error.endsWith("The other sections are kept: retry each on its own, or Continue to finish them from the text written so far.")).toBe(true);
  });

  it("writes sections 4, 9 and 10 without section 2's text when section 2 failed", async () => {
    const { requests, result } = runPass({ "2": { kind: "refuse", status: 500, message: "boom" } });
    expect((await result).status).toBe("failed");
    for (const key of ["4", "9", "10"]) expect(requests.find((request) => request.key === key)?.prompt).not.toContain("SECTION 2 AS WRITTEN");
  });

  it("fails a part the model wrote only blank space for (a first part always has its heading)", async () => {
    const { result, states } = runPass({ "5.2": { kind: "text", text: " \n\n " } });
    const outcome = await result;
    expect(outcome.status === "failed" && outcome.error).toContain("section 5 (part 2 of 2): The model wrote nothing for section 5 (part 2 of 2).");
    expect(states()).toContain("5.2:failed");
  });

  it("keeps a section to itself when the model goes on with the next one, and completes it", async () => {
    const { job, requests, result } = runPass({ "3": { kind: "overrun" } });
    expect((await result).status).toBe("complete");
    expect(job.text.trimEnd()).toBe(FIXTURE.trimEnd());
    // Its request is stopped once the next section's heading shows, the others end by themselves.
    expect(requests.filter((request) => request.aborted).map((request) => request.key)).toEqual(["3"]);
  });

  it("stops on Cancel: the sections being written stop, queued ones are cancelled, and nothing new starts", async () => {
    const { job, requests, result, states } = runPass({ "2": { kind: "hang" }, "5.1": { kind: "hang" }, "5.2": { kind: "hang" } });
    while (requests.filter((request) => request.key !== "outline").length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(states()).toEqual(expect.arrayContaining(["2.1:writing", "5.1:writing", "5.2:writing", "4.1:queued"]));
    job.cancel();
    const outcome = await result;
    expect(outcome.status).toBe("cancelled");
    expect(sectionKeys(requests)).toEqual(["2", "5.1", "5.2"]);
    expect(states()).toEqual(expect.arrayContaining(["0.1:complete", "2.1:cancelled", "5.1:cancelled", "4.1:cancelled", "12.1:cancelled"]));
  });

  it("writes only the parts that are queued when it continues a document", async () => {
    const first = runPass({ "7": { kind: "refuse", status: 500, message: "boom" } });
    await first.result;
    // Continue queues every part that is not complete (lib/documents/parallel-restart.ts).
    const restart = continueParts(designDocument({ mode: "parallel", parallel: first.job.sideState?.snapshot() ?? null }));
    const again = runPass({}, { document: restart });
    expect((await again.result).status).toBe("complete");
    expect(again.requests.map((request) => request.key)).toEqual(["7"]);
    expect(again.job.text.trimEnd()).toBe(FIXTURE.trimEnd());
  });
});

describe("one part's request", () => {
  it("continues a part cut at the output limit, counts it for the part and the job, and notes it under the part's name", async () => {
    const { job, requests, result } = runPass({ "5.2": [{ kind: "length", chars: 300 }] });
    expect((await result).status).toBe("complete");
    expect(job.text.trimEnd()).toBe(FIXTURE.trimEnd());
    expect(requests.filter((request) => request.key === "5.2")).toHaveLength(2);
    expect(requests.filter((request) => request.key === "5.2")[1]?.lastUser).toBe(sectionContinuationInstruction(5));
    expect(job.continuations).toBe(1);
    expect(job.sideState?.snapshot().parts.find((part) => part.section === 5 && part.part === 2)?.continuations).toBe(1);
    expect(job.history.map((entry) => entry.message)).toEqual([expect.stringMatching(/^Section 5 \(part 2 of 2\): The model stopped at its output-token limit after 300 characters/)]);
  });

  it("counts each part's tokens for the part and, through the job's one usage path, for the document", async () => {
    const { job, usages, result } = runPass();
    await result;
    const parts = job.sideState?.snapshot().parts ?? [];
    expect(parts.every((part) => part.outputTokens > 0 && part.inputTokens > 0)).toBe(true);
    expect(parts.reduce((sum, part) => sum + part.outputTokens, 0)).toBe(usages.reduce((sum, tokens) => sum + tokens, 0));
  });
});

describe("parallel mode's failures inside the app", () => {
  it("fails a part whose request cannot even be built with an internal error, and keeps the others", async () => {
    const first = runPass();
    await first.result;
    const done = designDocument({ mode: "parallel", parallel: first.job.sideState?.snapshot() ?? null });
    const restart = retrySectionParts(done, 7);
    // A stored plan that lost its sections: the request for section 7 throws while it is built.
    const broken = { ...restart, parallel: { ...restart.parallel!, outline: { ...restart.parallel!.outline!, sections: null as never } } };
    const again = runPass({}, { document: broken });
    const outcome = await again.result;
    expect(outcome.status === "failed" && outcome.error).toBe(
      "Section 7 failed (section 7: This part stopped because of an internal error; its text so far is kept.). The other sections are kept: retry section 7 on its own, or Continue to finish it from the text written so far.",
    );
    expect(again.requests).toEqual([]);
    expect(again.states().filter((state) => state.endsWith(":complete"))).toHaveLength(13);
    expect(again.states()).toContain("7.1:failed");
  });
});

describe("parallel mode's outline", () => {
  it("fails the document without writing a section when the outline request fails", async () => {
    const { job, requests, result, states } = runPass({ outline: { kind: "refuse", status: 500, message: "down" } });
    const outcome = await result;
    expect(outcome.status === "failed" && outcome.error).toBe("The outline could not be written: The model provider answered HTTP 500: down");
    expect(requests.map((request) => request.key)).toEqual(["outline"]);
    expect(states()[0]).toBe("0.1:failed");
    expect(job.sideState?.snapshot().parts[0]?.error).toBe("The outline could not be written: The model provider answered HTTP 500: down");
  });

  it.each([400, 404, 415, 422])("asks again without the response format when a request with it is refused (HTTP %i)", async (status) => {
    const { requests, result } = runPass({ outline: [{ kind: "refuse", status, message: "response_format json_schema is not supported" }] });
    expect((await result).status).toBe("complete");
    expect(requests.slice(0, 2).map((request) => [request.key, request.structured])).toEqual([
      ["outline", true],
      ["outline", false],
    ]);
    expect(requests[1]?.prompt).toContain(`the request with a JSON-schema response format was refused (The model provider answered HTTP ${status}`);
  });

  it("fails when the request without the response format is refused too, quoting at most 200 characters of the first refusal in it", async () => {
    const long = `json_schema unsupported ${"x".repeat(300)}`;
    const { requests, result } = runPass({ outline: [{ kind: "refuse", status: 400, message: long }, { kind: "refuse", status: 422, message: "still no" }] });
    const outcome = await result;
    expect(outcome.status === "failed" && outcome.error).toBe("The outline could not be written: The model provider answered HTTP 422: still no");
    const quoted = /was refused \((.*)\)\./.exec(requests[1]?.prompt ?? "")?.[1] ?? "";
    expect(quoted).toHaveLength(200);
    expect(quoted.startsWith("The model provider answered HTTP 400: json_schema unsupported xxx")).toBe(true);
  });

  it("continues an outline cut at the output limit with its own instruction", async () => {
    const { requests, result } = runPass({ outline: [{ kind: "length", chars: 500 }] });
    expect((await result).status).toBe("complete");
    expect(requests.slice(0, 2).map((request) => request.key)).toEqual(["outline", "outline"]);
    expect(requests[1]?.lastUser).toBe("Your previous answer was cut off (it is the assistant message above). Continue the JSON exactly where it stops, adding nothing else.");
  });

  it("asks for section 5's plan and writes it in two parts only when SPLIT_IMPLEMENTATION is on", async () => {
    const split = runPass();
    await split.result;
    expect(split.requests[0]?.prompt).toContain('"implementation"');
    const whole = runPass({}, { env: { SPLIT_IMPLEMENTATION: "0" } });
    expect((await whole.result).status).toBe("complete");
    expect(whole.requests[0]?.prompt).not.toContain('"implementation"');
    expect(sectionKeys(whole.requests)).toContain("5");
    expect(sectionKeys(whole.requests)).not.toContain("5.1");
    expect(whole.job.text.trimEnd()).toBe(FIXTURE.trimEnd());
  });

  it("does not ask again when a refusal is not about the request (HTTP 401)", async () => {
    const { requests, result } = runPass({ outline: { kind: "refuse", status: 401, message: "bad key" } });
    expect((await result).status).toBe("failed");
    expect(requests.map((request) => request.key)).toEqual(["outline"]);
  });

  it("asks once more when the answer is not a valid outline, saying why, then fails with the reason", async () => {
    const prose = { kind: "text", text: "Here is a plan: first the problem, then the fix." } as const;
    const once = runPass({ outline: [prose] });
    expect((await once.result).status).toBe("complete");
    expect(once.requests[1]?.prompt).toContain("it was not a valid outline: ");
    const twice = runPass({ outline: [prose, prose] });
    const outcome = await twice.result;
    expect(outcome.status === "failed" && outcome.error).toMatch(
      /^The model did not return a valid outline, twice \(.+\)\. Retry, or generate the document in single mode: this model may not follow JSON instructions\.$/,
    );
    expect(sectionKeys(twice.requests)).toEqual([]);
  });

  it("shows the title and summary as soon as each has streamed, normalized, and keeps them when the outline is asked again", async () => {
    const outline = (title: string) => JSON.stringify({ title, summary: "  First summary.  ", broken: true });
    const { job, result } = runPass({ outline: [{ kind: "text", text: outline("### Request   Deduplication ") }] });
    const outcome = await result;
    expect(outcome.status).toBe("complete");
    expect(job.text.startsWith("# Request Deduplication\n\nFirst summary.\n\n## 1. ")).toBe(true);
  });

  it.each([
    ["its title and summary", "# Kept Title\n\nKept summary.\n\n", "# Kept Title\n\nKept summary.\n\n## 1. ", "Kept summary."],
    ["its title alone", "# Kept Title\n\n", "# Kept Title\n\nRequest deduplication ", "Request deduplication "],
  ])("keeps what the head already showed when it continues an unfinished outline: %s", async (_, shown, start, summary) => {
    const progress = freshProgress(true);
    progress.parts[0] = { ...progress.parts[0]!, text: shown };
    const { job, result } = runPass({}, { document: { parallel: progress, markdown: documentText(progress.parts, false) } });
    const outcome = await result;
    expect(outcome.status).toBe("complete");
    expect(job.text.startsWith(start)).toBe(true);
    expect(job.sideState?.snapshot().outline?.title).toBe("Kept Title");
    expect(job.sideState?.snapshot().outline?.summary.startsWith(summary)).toBe(true);
    if (shown.includes(summary)) expect(job.sideState?.snapshot().outline?.summary).toBe(summary);
    expect(job.text.match(/^# /gm)).toHaveLength(1);
  });

  it("shows the document's summary, not an incorrect approach's, when the model puts the approaches first", async () => {
    const { title, summary, incorrectApproaches, ...rest } = outlineOf(FIXTURE, true) as { title: string; summary: string; incorrectApproaches: { summary: string }[] };
    const text = JSON.stringify({ title, incorrectApproaches, summary, ...rest });
    const { job, result } = runPass({ outline: [{ kind: "text", text }] });
    expect((await result).status).toBe("complete");
    expect(job.text.startsWith(`# ${title}\n\n${summary}\n\n## 1. `)).toBe(true);
    expect(job.text).not.toContain(incorrectApproaches[0]!.summary + "\n\n## 1.");
    expect(job.sideState?.snapshot().outline?.summary).toBe(summary);
  });

  it("shows the title first even when the summary streamed in before it", async () => {
    const { title, summary, ...rest } = outlineOf(FIXTURE, true) as { title: string; summary: string };
    // The summary completes in the first 400-character piece, the title only in a later one.
    const text = JSON.stringify({ summary, padding: "x".repeat(800), title, ...rest });
    const { job, result } = runPass({ outline: [{ kind: "text", text }] });
    expect((await result).status).toBe("complete");
    expect(job.text.startsWith(`# ${title}\n\n${summary}\n\n## 1. `)).toBe(true);
  });

  it("shows no blank title or summary: the retried outline's are shown", async () => {
    const { title, summary, ...rest } = outlineOf(FIXTURE, true) as { title: string; summary: string };
    for (const blank of [{ title: "   ", summary }, { title, summary: "  " }]) {
      const { job, result } = runPass({ outline: [{ kind: "text", text: JSON.stringify({ ...blank, ...rest }) }] });
      expect((await result).status).toBe("complete");
      expect(job.text.startsWith(`# ${title}\n\n${summary}\n\n## 1. `)).toBe(true);
      expect(job.sideState?.snapshot().outline).toMatchObject({ title, summary });
    }
  });

  it("shows a summary that streams in after the title, trimmed, and keeps it trimmed in the outline", async () => {
    const { title, summary, ...rest } = outlineOf(FIXTURE, true) as { title: string; summary: string };
    // The title completes in the first 400-character piece, the summary only in a later one.
    const text = JSON.stringify({ title, summary: `  ${summary}${" more.".repeat(80)}  `, ...rest });
    const { job, result } = runPass({ outline: [{ kind: "text", text }] });
    expect((await result).status).toBe("complete");
    const expected = `${summary}${" more.".repeat(80)}`;
    expect(job.text.startsWith(`# ${title}\n\n${expected}\n\n## 1. `)).toBe(true);
    expect(job.sideState?.snapshot().outline?.summary).toBe(expected);
  });

  it("asks for the outline with its own prompt, not as a continuation, and names it in its notes", async () => {
    const { job, requests, result } = runPass({ outline: [{ kind: "length", chars: 500 }] });
    await result;
    expect(requests[0]?.lastUser).toBe(requests[0]?.prompt);
    expect(job.history.map((entry) => entry.message)).toEqual([expect.stringMatching(/^The outline: The model stopped at its output-token limit/)]);
  });

  it("stops on Cancel while the outline is written: the head is cancelled and no section starts", async () => {
    const { job, requests, result, states } = runPass({ outline: { kind: "hang" } });
    while (requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(states()[0]).toBe("0.1:writing");
    job.cancel();
    const outcome = await result;
    expect(outcome).toMatchObject({ status: "cancelled", continuations: 0, markdown: "" });
    expect(requests.map((request) => request.key)).toEqual(["outline"]);
    expect(states()[0]).toBe("0.1:cancelled");
    expect(job.sideState?.snapshot().parts[0]?.error).toBeNull();
  });
});
