import type { DocumentEvent } from "@/lib/events/document-events";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";
import { consumeDocumentStream } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const API_KEY = "sk-test-Secret0123456789abcdefXYZ";
const ACCESS_TOKEN = "access-token-4f9a2c";

// Installed before the studio starts, so the studio's redaction wraps it: what reaches it is what would be logged.
const logged: string[] = [];
beforeAll(() => {
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
});
afterAll(() => vi.restoreAllMocks());

const h = useStudioHarness({ OPENAI_API_KEY: API_KEY, ACCESS_TOKEN, MAX_ATTEMPTS: "1" });
const bearer = { authorization: `Bearer ${ACCESS_TOKEN}` };

function expectNoSecret(text: string | null | undefined) {
  expect(text ?? "").not.toContain(API_KEY);
  expect(text ?? "").not.toContain(ACCESS_TOKEN);
  expect(text ?? "").not.toMatch(/sk-live-[A-Za-z0-9]/);
}

describe("secrets in provider errors", () => {
  it("a provider 401 that quotes the Authorization header is stored, served and streamed without the key", async () => {
    h.fake.setScenario({ failBeforeStream: 1, failStatus: 401, failMessage: "Incorrect API key provided: {authorization}. You can find your API key at https://platform.example/account." });
    const created = await h.create({ topic: "Secret Quoting Provider", fresh: true }, bearer);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const live = await consumeDocumentStream((await h.stream(id, "", bearer)).body!);
    expect(live.end?.status).toBe("failed");
    expect(live.end?.status === "failed" && live.end.error).toMatch(/HTTP 401/);
    expectNoSecret(JSON.stringify(live.end));
    // The fake really did quote it: the redaction, not the provider, kept it out.
    expect(h.fake.requests[0]?.status).toBe(401);

    const stored = await h.get(id, bearer);
    const body = (await stored.json()) as { error: string };
    expect(body.error).toMatch(/Incorrect API key provided: Bearer \[redacted\]/);
    expectNoSecret(body.error);
    const [row] = await h.database.query<{ error: string }>(`select error from documents where id = '${id}'`);
    expectNoSecret(row!.error);
  });

  it("a repair request's provider error that quotes the key is kept out of the repair's reasons: live, stored and served", async () => {
    const first = draft(REQUEST_DEDUPLICATION, "s7-deadlocks-timeouts");
    const topic = `Secret Quoting Repair ${Date.now().toString(36)}`;
    h.fake.setScenario({
      documentsByTopic: { [topic]: first },
      chunkSize: 2_000,
      delayMs: 1,
      failMessage: "Incorrect API key provided: {authorization}.",
      repair: { source: REQUEST_DEDUPLICATION, actions: { "7": ["http-500"] } },
    });
    const created = await h.create({ topic, fresh: true }, bearer);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", version: 1 });
    expect((await h.repairSection(id, 7, bearer)).status).toBe(202);
    const live = await consumeDocumentStream((await h.stream(id, "", bearer)).body!);
    expect(live.end).toMatchObject({ status: "complete", version: 1 });
    // The fake really did quote the key in the failed repair request's answer.
    expect(h.fake.requests.at(-1)).toMatchObject({ status: 500, repair: { section: 7, action: "http-500" } });
    const repairEvents = live.events.filter((event) => event.type === "repair");
    expect(repairEvents.length).toBeGreaterThan(0);
    expectNoSecret(JSON.stringify(repairEvents));

    const body = (await (await h.get(id, bearer)).json()) as { repair: { rounds: { sections: { state: string; reason: string }[] }[] } };
    const reason = body.repair.rounds[0]?.sections[0];
    expect(reason).toMatchObject({ state: "failed", reason: expect.stringMatching(/Incorrect API key provided: Bearer \[redacted\]/) });
    expectNoSecret(JSON.stringify(body.repair));
    const [row] = await h.database.query<{ repair: string }>(`select repair from documents where id = '${id}'`);
    expectNoSecret(row!.repair);
  });

  it("a parallel section's provider error that quotes the key is kept out of the part's state: live, replayed, stored and served", async () => {
    h.fake.setScenario({ chunkSize: 2_000, delayMs: 1, faultTarget: "9", failBeforeStream: 1, failStatus: 401, failMessage: "Incorrect API key provided: {authorization}." });
    const created = await h.create({ topic: "Secret Quoting Section 🔐", mode: "parallel", fresh: true }, bearer);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const failedParts = (events: DocumentEvent[]) => events.filter((event) => event.type === "section-state" && event.error !== null);

    const live = await consumeDocumentStream((await h.stream(id, "", bearer)).body!);
    expect(live.end?.status).toBe("failed");
    // The fake really did quote the key in section 9's answer.
    expect(h.fake.requests.find((request) => request.status === 401)).toBeDefined();
    expect(failedParts(live.events).length).toBeGreaterThan(0);
    expect(JSON.stringify(failedParts(live.events))).toMatch(/Incorrect API key provided: Bearer \[redacted\]/);
    expectNoSecret(JSON.stringify(live.events));

    const replayed = await consumeDocumentStream((await h.stream(id, "", bearer)).body!);
    expect(failedParts(replayed.events).length).toBeGreaterThan(0);
    expectNoSecret(JSON.stringify(replayed.events));

    const body = (await (await h.get(id, bearer)).json()) as { parts: { section: number; state: string; error: string | null }[] };
    expect(body.parts.find((part) => part.section === 9)).toMatchObject({ state: "failed", error: expect.stringMatching(/Bearer \[redacted\]/) });
    expectNoSecret(JSON.stringify(body));
    const [row] = await h.database.query<{ parallel_state: string }>(`select parallel_state from documents where id = '${id}'`);
    expect(row!.parallel_state).toContain("Bearer [redacted]");
    expectNoSecret(row!.parallel_state);
  });

  it("messages stored before redaction existed are redacted when read", async () => {
    const id = "LegacyLeak0123456789ab";
    const leaked = `The model provider answered with HTTP 401: Incorrect API key provided: Bearer ${API_KEY}; also sk-live-0123456789abcdefgh, token ${ACCESS_TOKEN}, url http://admin:pa55word@10.0.0.5/v1`;
    const at = new Date().toISOString();
    const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
    await h.database.query(
      `${"insert into documents (id, topic, topic_key, model, prompt_version, status, markdown, error, continuations, created_at, updated_at)"} values (${literal(id)}, 'Legacy', 'legacy', 'fake-model', 'mp-0', 'failed', '# Legacy', ${literal(leaked)}, 0, ${literal(at)}, ${literal(at)})`,
    );
    const body = (await (await h.get(id, bearer)).json()) as { error: string };
    expectNoSecret(body.error);
    expect(body.error).not.toContain("pa55word");
    expect(body.error).toMatch(/^The model provider answered with HTTP 401: Incorrect API key provided: Bearer \[redacted\]/);
    const replay = await consumeDocumentStream((await h.stream(id, "", bearer)).body!);
    expectNoSecret(JSON.stringify(replay.end));
    expect(JSON.stringify(replay.end)).not.toContain("pa55word");
  });

  it("what the server logs passes through the same redaction", () => {
    logged.length = 0;
    console.error(new Error(`provider said: Bearer ${API_KEY}`), { header: `Authorization: Bearer ${ACCESS_TOKEN}` });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("provider said: Bearer [redacted]");
    expectNoSecret(logged[0]);
  });
});
