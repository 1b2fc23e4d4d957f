import { afterAll, beforeAll, beforeEach } from "vitest";
import { CLIENT_ADDRESS_HEADER, CLIENT_SIGNATURE_HEADER, signClientAddress, signingKey } from "../../scripts/front-server.mjs";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai/server";
import { createTestDatabase } from "./test-database";
import { databaseUnavailable, skipWithoutDatabase } from "./use-test-database";

type RouteContext = { params: Promise<Record<string, string>> };
type Handler = (request: Request, context: RouteContext) => Promise<Response>;

/**
 * Runs the real route handlers in-process against a real database — a SQLite file, or a database
 * of its own on a real PostgreSQL server in the `postgres` vitest project — and the fake model
 * server on a real socket. Each vitest file runs in its own worker, so the environment and the
 * studio singleton set up here belong to that file alone.
 */
export async function startStudioHarness(env: Record<string, string | undefined> = {}, options: { provider?: boolean } = {}) {
  const fake = await startFakeOpenAI();
  const database = await createTestDatabase();
  const provider = options.provider ?? true;
  Object.assign(process.env, {
    OPENAI_BASE_URL: provider ? fake.url : "",
    OPENAI_MODEL: provider ? "fake-model" : "",
    OPENAI_MODELS: provider ? "fake-model,fake-model-mini" : "",
    OPENAI_API_KEY: "",
    DATABASE_URL: database.url,
    RETRY_BASE_DELAY_MS: "20",
    FIRST_TOKEN_TIMEOUT_MS: "3000",
    IDLE_TIMEOUT_MS: "1500",
    CHECKPOINT_INTERVAL_MS: "100",
    RATE_LIMIT_PER_HOUR: "1000",
    MAX_CONCURRENT_GENERATIONS: "50",
    DEMO_STREAM_SECONDS: "2",
    // In-process unless a test asks for Redis (REDIS_URL in the shell is the behaviour tests' Redis).
    REDIS_URL: "",
    // Tests of the first pass see the first pass alone; repair tests turn it on (REPAIR: "on").
    REPAIR: "off",
    ...env,
  });

  const routes = {
    documents: await import("@/app/api/documents/route"),
    document: await import("@/app/api/documents/[id]/route"),
    stream: await import("@/app/api/documents/[id]/stream/route"),
    cancel: await import("@/app/api/documents/[id]/cancel/route"),
    markdown: await import("@/app/api/documents/[id]/markdown/route"),
    continue: await import("@/app/api/documents/[id]/continue/route"),
    retry: await import("@/app/api/documents/[id]/retry/route"),
    repair: await import("@/app/api/documents/[id]/repair/route"),
    repairSection: await import("@/app/api/documents/[id]/sections/[n]/repair/route"),
    versions: await import("@/app/api/documents/[id]/versions/route"),
    sectionRetry: await import("@/app/api/documents/[id]/sections/[n]/retry/route"),
    health: await import("@/app/api/health/route"),
  };
  const { getStudio } = await import("@/lib/studio");
  const studio = await getStudio();

  /** A client address is signed the way `npm start`'s front server signs it, unless the test sends its own signature. */
  const call = (handler: Handler, url: string, init: RequestInit = {}, params: Record<string, string> = {}) => {
    const headers = new Headers(init.headers);
    const address = headers.get(CLIENT_ADDRESS_HEADER);
    if (address !== null && !headers.has(CLIENT_SIGNATURE_HEADER)) headers.set(CLIENT_SIGNATURE_HEADER, signClientAddress(signingKey(), address));
    return handler(new Request(`http://studio.test${url}`, { ...init, headers }), { params: Promise.resolve(params) });
  };

  const editTokens = new Map<string, string>();
  const harness = {
    fake,
    studio,
    database,
    /** The studio's DATABASE_URL (a second DocumentStore can open it, as a restarted process would). */
    databaseUrl: database.url,
    /** Calls any route handler with a request to http://studio.test{url}. */
    call,
    /** Creates a document; the edit token of a created one is kept and sent with its actions (as its creator's browser does). */
    async create(body: unknown, headers: Record<string, string> = {}) {
      const response = await call(routes.documents.POST as Handler, "/api/documents", {
        method: "POST",
        headers: { "content-type": "application/json", "x-studio-client-ip": "192.0.2.1", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      if (response.status === 201) {
        const created = (await response.clone().json()) as { id: string; editToken?: string };
        if (created.editToken) editTokens.set(created.id, created.editToken);
      }
      return response;
    },
    async createOk(topic: string, extra: Record<string, unknown> = {}): Promise<{ id: string; url: string }> {
      const response = await harness.create({ topic, fresh: true, ...extra });
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: string; url: string };
    },
    get(id: string, headers: Record<string, string> = {}) {
      return call(routes.document.GET as Handler, `/api/documents/${id}`, { headers }, { id });
    },
    async getJson(id: string) {
      const response = await harness.get(id);
      if (!response.ok) throw new Error(`GET ${id} answered ${response.status}`);
      return (await response.json()) as {
        id: string;
        status: string;
        markdown: string;
        error: string | null;
        model: string;
        promptStyle: string;
        promptVersion: string;
        continuations: number;
        history: { at: string; kind: string; message: string }[];
        instance: string | null;
        sections: { number: number; state: string }[] | null;
        satisfied: number | null;
        version: number;
        repair: import("@/lib/repair/record").RepairRecord | null;
      };
    },
    stream(id: string, query = "", headers: Record<string, string> = {}, signal?: AbortSignal) {
      return call(routes.stream.GET as Handler, `/api/documents/${id}/stream${query}`, { headers, signal }, { id });
    },
    /**
     * Sends the creator's edit token unless `headers` has its own x-edit-token ("" sends none), from
     * the creator's address (so repairs count against the creator's hourly allowance).
     */
    action(id: string, action: "cancel" | "continue" | "retry" | "repair", headers: Record<string, string> = {}) {
      const editToken = editTokens.get(id);
      const withToken = editToken ? { "x-edit-token": editToken, ...headers } : headers;
      return call(routes[action].POST as Handler, `/api/documents/${id}/${action}`, { method: "POST", headers: { "x-studio-client-ip": "192.0.2.1", ...withToken } }, { id });
    },
    /** POST /api/documents/{id}/sections/{n}/retry with the creator's edit token (as `action`). */
    sectionRetry(id: string, n: string | number, headers: Record<string, string> = {}) {
      const editToken = editTokens.get(id);
      const withToken = editToken ? { "x-edit-token": editToken, ...headers } : headers;
      return call(routes.sectionRetry.POST as Handler, `/api/documents/${id}/sections/${n}/retry`, { method: "POST", headers: withToken }, { id, n: String(n) });
    },
    /** The edit token the creator of `id` received, if this harness created it. */
    editTokenOf(id: string): string | undefined {
      return editTokens.get(id);
    },
    /** POST /api/documents/{id}/sections/{n}/repair, with the creator's edit token like `action`. */
    repairSection(id: string, n: string | number, headers: Record<string, string> = {}) {
      const editToken = editTokens.get(id);
      const withToken = editToken ? { "x-edit-token": editToken, ...headers } : headers;
      return call(
        routes.repairSection.POST as Handler,
        `/api/documents/${id}/sections/${n}/repair`,
        { method: "POST", headers: { "x-studio-client-ip": "192.0.2.1", ...withToken } },
        { id, n: String(n) },
      );
    },
    async versions(id: string) {
      const response = await call(routes.versions.GET as Handler, `/api/documents/${id}/versions`, {}, { id });
      if (!response.ok) throw new Error(`GET versions of ${id} answered ${response.status}`);
      return ((await response.json()) as { versions: { version: number; createdAt: string; reason: string; satisfied: number | null }[] }).versions;
    },
    markdown(id: string, version?: number | string) {
      const query = version === undefined ? "" : `?version=${version}`;
      return call(routes.markdown.GET as Handler, `/api/documents/${id}/markdown${query}`, {}, { id });
    },
    health() {
      return call(routes.health.GET as Handler, "/api/health");
    },
    /** Rows in the documents table, read on a connection of the test's own. */
    countDocuments(): Promise<number> {
      return database.countDocuments();
    },
    /** Waits until the document leaves `generating` (the job has written its final state). */
    // Generous: a finished generation is type-checked, and each test file cold-starts its own checker worker.
    async waitUntilFinished(id: string, timeoutMs = 45_000) {
      const job = studio.registry.get(id);
      if (job) {
        await Promise.race([job.done, new Promise((_, reject) => setTimeout(() => reject(new Error(`${id} still generating`)), timeoutMs))]);
      }
      return harness.getJson(id);
    },
    async close() {
      await studio.registry.interruptAll("test finished");
      await studio.store.close();
      await database.drop();
      await fake.close();
    },
  };
  return harness;
}

export type StudioHarness = Awaited<ReturnType<typeof startStudioHarness>>;
export type { FakeOpenAI };

/**
 * One harness for a whole test file: started before its tests, closed after them, and reset
 * before each (running jobs interrupted, the fake model's scenario and recorded requests cleared).
 * The returned object forwards to the harness once it has started.
 */
export function useStudioHarness(env: Record<string, string | undefined> = {}, options: { provider?: boolean } = {}): StudioHarness {
  let current: StudioHarness | undefined;
  beforeAll(async () => {
    if (!databaseUnavailable()) current = await startStudioHarness(env, options);
  });
  skipWithoutDatabase();
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(async () => {
    await current?.studio.registry.interruptAll("next test");
    current?.fake.resetScenario();
    current?.fake.clearRequests();
  });
  return new Proxy({} as StudioHarness, {
    get(_target, property) {
      if (!current) throw new Error("the studio harness is used before it started (use it inside tests)");
      return Reflect.get(current, property, current);
    },
  });
}
