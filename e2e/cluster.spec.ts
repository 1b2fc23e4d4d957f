/**
 * Three studio instances behind nginx, on PostgreSQL and Redis (the real servers .ci/run starts),
 * with the fake model on loopback. The generation queue's lease is LOCK_DURATION_MS=10000 with a
 * stalled-job check every STALLED_INTERVAL_MS=5000 (the README's figures). Each instance runs one
 * generation at a time (WORKER_CONCURRENCY=1) under a cap of 8 for all: three slots, so a fourth
 * generation admitted waits in the queue for one.
 */
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { type Cluster, startCluster } from "../scripts/cluster/start-cluster";
import { missingClusterServices } from "../tests/support/cluster-services";
import { startFakeOpenAI, type FakeOpenAI } from "../tests/support/fake-openai/server";
import { type FollowedStream, followStream } from "../tests/support/follow-stream";
import { REDIS_URL } from "../tests/support/redis";
import { createTestDatabase, type TestDatabase } from "../tests/support/test-database";
import { emojiLibraryDocument } from "../tests/support/emoji-document";
import { bigUnicodeDocument } from "../tests/support/unicode-fixtures";

const LOCK_DURATION_MS = 10_000;
const STALLED_INTERVAL_MS = 5_000;
const RATE_LIMIT_PER_HOUR = 3;
const WORKER_CONCURRENCY = 1;
const MAX_CONCURRENT_GENERATIONS = 8;
/** Over 16 KB, with emoji (surrogate pairs the 16-unit chunks cut in half), CJK, Hangul and combining marks. */
const FIXTURE = bigUnicodeDocument("Cluster Failover 🦀", 260);
/** Parallel mode needs the 12 sections: a library document with emoji, other scripts and SSE-looking lines in section 7. */
const PARALLEL_FIXTURE = emojiLibraryDocument();

test.describe.configure({ mode: "serial", timeout: 240_000 });

let skipReason: string | null = null;
let fake: FakeOpenAI;
let database: TestDatabase;
let cluster: Cluster;
const run = randomBytes(3).toString("hex");
const topic = (name: string) => `${name} ${run}`;

test.beforeAll(async () => {
  skipReason = await missingClusterServices();
  if (skipReason) return;
  fake = await startFakeOpenAI({ defaults: { document: FIXTURE, chunkSize: 16, delayMs: 8 } });
  database = await createTestDatabase("postgres");
  cluster = await startCluster({
    instances: 3,
    idPrefix: `e2e-${run}`,
    env: {
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX: `ddstest-cluster-${run}`,
      OPENAI_BASE_URL: fake.url,
      OPENAI_MODEL: "fake-model",
      OPENAI_API_KEY: "",
      LOCK_DURATION_MS: String(LOCK_DURATION_MS),
      STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS),
      RATE_LIMIT_PER_HOUR: String(RATE_LIMIT_PER_HOUR),
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      MAX_CONCURRENT_GENERATIONS: String(MAX_CONCURRENT_GENERATIONS),
      CHECKPOINT_INTERVAL_MS: "500",
      IDLE_TIMEOUT_MS: "20000",
      // The first pass across instances (its upstream requests are counted); repairs across instances: tests/cluster/repair-takeover.test.ts.
      REPAIR: "off",
    },
    onOutput: (id, line) => {
      if (/error|failed|lost|refused|AUTO_RESUME/i.test(line)) console.log(`[${id}] ${line}`);
    },
  });
});

test.afterAll(async () => {
  await cluster?.stop();
  await fake?.close();
  await database?.drop();
});

test.beforeEach(() => {
  test.skip(skipReason !== null, skipReason ?? "");
  fake.resetScenario();
});

let clients = 0;
/** Each test is its own client (TRUST_PROXY=1: the last X-Forwarded-For entry), so the rate limit of one does not touch another. */
function client(): Record<string, string> {
  clients += 1;
  return { "x-forwarded-for": `198.51.100.${clients}` };
}

async function create(base: string, name: string, headers: Record<string, string>, mode: "single" | "parallel" = "single") {
  const response = await fetch(`${base}/api/documents`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ topic: name, fresh: true, mode }),
  });
  return { status: response.status, body: (await response.json()) as { id: string; editToken: string; coalesced: boolean; error?: { code: string } } };
}

/** DELETE /api/documents/{id} with the creator's edit token, on one instance; `answeredAt` is when its answer arrived. */
async function remove(base: string, document: { id: string; editToken: string }) {
  const response = await fetch(`${base}/api/documents/${document.id}`, { method: "DELETE", headers: { "x-edit-token": document.editToken } });
  return { status: response.status, answeredAt: Date.now() };
}

/** Every instance, and nginx, answer 404 for the document. */
async function expectGoneEverywhere(id: string) {
  for (const base of [...cluster.instances.map((instance) => instance.url), cluster.url]) {
    expect((await fetch(`${base}/api/documents/${id}`)).status, base).toBe(404);
  }
}

async function activeGenerations(base: string): Promise<number> {
  return ((await (await fetch(`${base}/api/health`)).json()) as { activeGenerations: number }).activeGenerations;
}

async function getDocument(base: string, id: string) {
  const response = await fetch(`${base}/api/documents/${id}`);
  return (await response.json()) as { status: string; markdown: string; instance: string | null; error: string | null };
}

const requestsFor = (name: string) => fake.requests.filter((request) => JSON.stringify(request.body?.messages ?? "").includes(`TOPIC: ${name}\\n`));

test("create through one instance, read the live stream through another: same offsets, same bytes", async () => {
  const [a, b, c] = cluster.instances;
  const name = topic("Cross Instance");
  const created = await create(a!.url, name, client());
  expect(created.status).toBe(201);
  await expect.poll(async () => (await getDocument(c!.url, created.body.id)).instance, { timeout: 20_000 }).not.toBeNull();
  const owner = (await getDocument(c!.url, created.body.id)).instance;
  expect(cluster.instances.map((instance) => instance.id)).toContain(owner);
  // A reader on an instance that neither took the request nor runs the generation.
  const reader = cluster.instances.find((instance) => instance.id !== owner && instance !== a) ?? b!;
  const [first, second] = await Promise.all([followStream(`${reader.url}/api/documents/${created.body.id}/stream`), followStream(`${cluster.url}/api/documents/${created.body.id}/stream`)]);
  expect(first.status).toBe("complete");
  expect(first.text).toBe(FIXTURE);
  expect(second.text).toBe(FIXTURE);
  expect((await getDocument(b!.url, created.body.id)).markdown).toBe(FIXTURE);
  expect(requestsFor(name)).toHaveLength(1);
});

/**
 * SIGKILLs the instance running `id` and waits until another instance has taken its generation
 * over (no longer than the lease and one stalled-job check), then until the readers (through
 * nginx: one of them was served by the victim, and reconnects) have ended; each got `expected`,
 * and so did the database, byte for byte.
 */
async function killOwnerMidStream(label: string, id: string, readers: Promise<FollowedStream>[], expected: string) {
  const ownerId = (await getDocument(cluster.url, id)).instance;
  const victim = cluster.instances.find((instance) => instance.id === ownerId)!;
  expect(victim).toBeDefined();

  const killedAt = Date.now();
  await victim.stop("SIGKILL");
  let takenOverAt = 0;
  let newOwner: string | null = null;
  while (!newOwner) {
    const current = await getDocument(cluster.url, id);
    if (current.instance && current.instance !== ownerId) {
      newOwner = current.instance;
      takenOverAt = Date.now();
    } else {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (Date.now() - killedAt > 60_000) throw new Error("no instance took the generation over within 60 s");
  }
  const everyReader = await Promise.all(readers);
  const followed = everyReader[0]!;
  const reconnects = everyReader.reduce((sum, reader) => sum + reader.reconnects, 0);
  const resumed = followed.arrivals.find((arrival) => arrival.at > takenOverAt);
  const failoverSeconds = (takenOverAt - killedAt) / 1000;
  console.log(
    `${label}: taken over by ${newOwner} ${failoverSeconds.toFixed(1)} s after SIGKILL of ${ownerId}` +
      ` (bound: lock ${LOCK_DURATION_MS / 1000} s + stalled check ${STALLED_INTERVAL_MS / 1000} s = ${(LOCK_DURATION_MS + STALLED_INTERVAL_MS) / 1000} s);` +
      ` the reader's next text ${resumed ? ((resumed.at - killedAt) / 1000).toFixed(1) : "?"} s after the kill; ${reconnects} reconnect(s) through nginx`,
  );
  expect(failoverSeconds).toBeLessThanOrEqual((LOCK_DURATION_MS + STALLED_INTERVAL_MS) / 1000 + 1);

  for (const reader of everyReader) {
    expect(reader.status).toBe("complete");
    expect(reader.text).toBe(expected);
  }
  const stored = await getDocument(cluster.url, id);
  expect(stored.status).toBe("complete");
  expect(Buffer.from(stored.markdown, "utf8").equals(Buffer.from(expected, "utf8"))).toBe(true);
  return victim;
}

/** Readers through nginx (round robin: with three, one of them is served by the owner). */
const readersThroughNginx = (id: string, count = 3) => Array.from({ length: count }, () => followStream(`${cluster.url}/api/documents/${id}/stream`, { deadlineMs: 200_000 }));

/**
 * A slow single-mode generation created through `base` (nginx unless given), followed by
 * `readerCount` readers through nginx; returns once the model has sent more than `sentChars` of it.
 */
async function slowGeneration(label: string, { sentChars, readerCount, base = cluster.url }: { sentChars: number; readerCount: number; base?: string }) {
  fake.setScenario({ delayMs: 12 });
  const name = topic(label);
  const created = await create(base, name, client());
  expect(created.status).toBe(201);
  const { id } = created.body;
  const readers = readersThroughNginx(id, readerCount);
  await fake.waitFor(() => (requestsFor(name)[0]?.servedChars ?? 0) > sentChars, 60_000);
  return { name, id, editToken: created.body.editToken, readers };
}

test("SIGKILL the owner mid-stream: another instance continues from what readers received, and nothing is lost", async () => {
  const { name, id, readers } = await slowGeneration("Kill The Owner", { sentChars: FIXTURE.length * 0.3, readerCount: 3 });
  const victim = await killOwnerMidStream("failover", id, readers, FIXTURE);
  // The continuation started from the shared log's text (what readers had), and the model agreed it was a prefix.
  const requests = requestsFor(name);
  expect(requests).toHaveLength(2);
  expect(requests[1]!.isContinuation).toBe(true);
  expect(requests[1]!.prefixMismatch).toBe(false);
  expect(requests[1]!.continuationChars).toBeGreaterThan(FIXTURE.length * 0.3);
  await victim.restart();
});

test("SIGKILL the owner of a parallel document mid-sections: another instance continues every unfinished part, byte for byte", async () => {
  const name = topic("Kill The Parallel Owner 🦀");
  fake.setScenario({ documentsByTopic: { [name]: PARALLEL_FIXTURE }, chunkSize: 16, delayMs: 12 });
  // Created on an instance (through nginx every client is nginx's address, and earlier tests used its hourly allowance); read through nginx.
  const created = await create(cluster.instances[1]!.url, name, client(), "parallel");
  expect(created.status).toBe(201);
  const { id } = created.body;
  const readers = readersThroughNginx(id);
  // Several sections are part-way written.
  await fake.waitFor(() => requestsFor(name).filter((request) => request.planned !== "outline" && request.servedChars > 300).length >= 3, 60_000);
  const victim = await killOwnerMidStream("parallel failover", id, readers, PARALLEL_FIXTURE);
  // The outline was kept; the unfinished parts were continued from their text, and the model agreed each was a prefix.
  const requests = requestsFor(name);
  expect(requests.filter((request) => request.planned === "outline")).toHaveLength(1);
  const continued = requests.filter((request) => request.isContinuation);
  expect(continued.length).toBeGreaterThan(0);
  expect(continued.every((request) => !request.prefixMismatch && request.continuationChars > 0)).toBe(true);
  await victim.restart();
});

test("an owner whose event loop stalls past its lease: the new owner continues, the old one's writes are refused", async () => {
  const { name, id, readers: [reading] } = await slowGeneration("Frozen Owner", { sentChars: FIXTURE.length * 0.25, readerCount: 1 });
  const ownerId = (await getDocument(cluster.url, id)).instance;
  const frozen = cluster.instances.find((instance) => instance.id === ownerId)!;
  // Asked directly: nginx would also send some requests to the frozen instance, which accepts them and never answers.
  const witness = cluster.instances.find((instance) => instance !== frozen)!;
  // SIGSTOP: the process and its event loop stop (its lock is not renewed); the model keeps sending to its socket.
  frozen.process.kill("SIGSTOP");
  try {
    await expect.poll(async () => (await getDocument(witness.url, id)).instance, { timeout: 60_000, intervals: [200] }).not.toBe(ownerId);
  } finally {
    // It wakes up holding a stale lease and the model's buffered text, and tries to write it.
    frozen.process.kill("SIGCONT");
  }
  const followed = await reading!;
  expect(followed.status).toBe("complete");
  expect(followed.text).toBe(FIXTURE);
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // anything the woken copy still tries has been tried
  const stored = await getDocument(witness.url, id);
  expect(stored.status).toBe("complete");
  expect(stored.markdown).toBe(FIXTURE);
  expect(requestsFor(name)).toHaveLength(2);
});

test("SIGTERM hands the owner's generation over at once, without waiting for its lease to run out", async () => {
  const { name, id, readers: [reading] } = await slowGeneration("Graceful Hand Over", { sentChars: FIXTURE.length * 0.25, readerCount: 1 });
  const ownerId = (await getDocument(cluster.url, id)).instance;
  const owner = cluster.instances.find((instance) => instance.id === ownerId)!;
  const witness = cluster.instances.find((instance) => instance !== owner)!;
  const stoppedAt = Date.now();
  await owner.stop("SIGTERM");
  await expect
    .poll(
      async () => {
        const instance = (await getDocument(witness.url, id)).instance;
        return instance !== null && instance !== ownerId;
      },
      { timeout: 30_000, intervals: [100] },
    )
    .toBe(true);
  const handOverSeconds = (Date.now() - stoppedAt) / 1000;
  console.log(`graceful hand-over: ${handOverSeconds.toFixed(1)} s after SIGTERM (the lease alone would take up to ${(LOCK_DURATION_MS + STALLED_INTERVAL_MS) / 1000} s)`);
  expect(handOverSeconds).toBeLessThan(LOCK_DURATION_MS / 1000);
  const followed = await reading!;
  expect(followed.status).toBe("complete");
  expect(followed.text).toBe(FIXTURE);
  expect((await getDocument(witness.url, id)).markdown).toBe(FIXTURE);
  expect(requestsFor(name)).toHaveLength(2);
  await owner.restart();
});

test("20 identical concurrent creates from one client, spread over the instances, make 1 upstream request", async () => {
  const name = topic("Twenty At Once");
  const headers = client();
  const results = await Promise.all(Array.from({ length: 20 }, (_, index) => create(cluster.instances[index % 3]!.url, name, headers)));
  const ids = new Set(results.map((result) => result.body.id));
  expect(ids.size).toBe(1);
  expect(results.filter((result) => result.status === 201)).toHaveLength(1);
  expect(results.filter((result) => result.status === 200 && result.body.coalesced)).toHaveLength(19);
  const [id] = [...ids];
  await expect.poll(async () => (await getDocument(cluster.url, id!)).status, { timeout: 60_000 }).toBe("complete");
  expect(requestsFor(name)).toHaveLength(1);
});

test("the rate limit is shared: a client's creations on every instance count together", async () => {
  fake.setScenario({ delayMs: 0, chunkSize: 4096 });
  const headers = client();
  const statuses: number[] = [];
  for (let index = 0; index < RATE_LIMIT_PER_HOUR + 1; index += 1) {
    statuses.push((await create(cluster.instances[index % 3]!.url, topic(`Rate Limited ${index}`), headers)).status);
  }
  expect(statuses).toEqual([201, 201, 201, 429]);
  // Another client is unaffected.
  expect((await create(cluster.instances[1]!.url, topic("Another Client"), client())).status).toBe(201);
});

test("a restarted instance leaves the other instances' live jobs alone", async () => {
  fake.setScenario({ delayMs: 10 });
  const name = topic("Leave Me Alone");
  const created = await create(cluster.instances[0]!.url, name, client());
  expect(created.status).toBe(201);
  const { id } = created.body;
  await fake.waitFor(() => (requestsFor(name)[0]?.servedChars ?? 0) > 2_000, 60_000);
  const ownerId = (await getDocument(cluster.url, id)).instance;
  const other = cluster.instances.find((instance) => instance.id !== ownerId)!;
  const reading = followStream(`${cluster.url}/api/documents/${id}/stream`);
  await other.restart();
  const during = await getDocument(cluster.url, id);
  expect(during.status).toBe("generating");
  expect(during.instance).toBe(ownerId);
  const followed = await reading;
  expect(followed.status).toBe("complete");
  expect(followed.text).toBe(FIXTURE);
  expect(requestsFor(name)).toHaveLength(1);
  expect((await getDocument(cluster.url, id)).markdown).toBe(FIXTURE);
});

test("DELETE sent to an instance that does not run the generation stops it on its owner: upstream aborted, gone everywhere, readers ended", async () => {
  // Created on an instance (through nginx every client is nginx's address, and earlier tests used its hourly allowance).
  const { name, id, editToken, readers: [reading] } = await slowGeneration("Delete Elsewhere", { sentChars: 2_000, readerCount: 1, base: cluster.instances[0]!.url });
  const readerEnded = reading!.then((followed) => ({ followed, at: Date.now() }));
  const ownerId = (await getDocument(cluster.url, id)).instance;
  const owner = cluster.instances.find((instance) => instance.id === ownerId)!;
  expect(owner).toBeDefined();
  expect(await activeGenerations(owner.url)).toBe(1);
  // Asked directly, not through nginx: this instance neither runs the generation nor took the request.
  const elsewhere = cluster.instances.find((instance) => instance !== owner)!;

  const deletedAt = Date.now();
  const deleted = await remove(elsewhere.url, { id, editToken });
  expect(deleted.status).toBe(204);
  // The owner aborted its model request, and it did so before the DELETE was answered (which waits for the stopped state).
  const [upstream] = requestsFor(name);
  expect(upstream).toMatchObject({ outcome: "client-closed", closedByClient: true });
  expect(upstream!.servedChars).toBeLessThan(FIXTURE.length);
  expect(upstream!.endedAt).not.toBeNull();
  expect(upstream!.endedAt!).toBeGreaterThanOrEqual(deletedAt);
  expect(upstream!.endedAt!).toBeLessThanOrEqual(deleted.answeredAt);
  console.log(`DELETE on ${elsewhere.id} of ${ownerId}'s generation: upstream aborted after ${upstream!.endedAt! - deletedAt} ms, answered after ${deleted.answeredAt - deletedAt} ms`);
  expect(requestsFor(name)).toHaveLength(1);

  await expectGoneEverywhere(id);
  // The reader attached through nginx was told the generation ended, with the text it had: it is not left waiting.
  const { followed, at } = await readerEnded;
  expect(at - deletedAt).toBeLessThan(5_000);
  expect(followed.status).toBe("cancelled");
  expect(followed.text.length).toBeGreaterThan(0);
  expect(FIXTURE.startsWith(followed.text)).toBe(true);
  await expect.poll(() => activeGenerations(owner.url), { timeout: 10_000 }).toBe(0);
});

test("DELETE of a generation still waiting for a slot, sent to another instance: answered at once, and the generation never starts", async () => {
  // Three slow generations take the three slots (one per instance).
  fake.setScenario({ delayMs: 40 });
  const holders: { id: string; editToken: string }[] = [];
  for (const [index, instance] of cluster.instances.entries()) {
    const created = await create(instance.url, topic(`Slot Holder ${index}`), client());
    expect(created.status).toBe(201);
    holders.push(created.body);
  }
  await expect
    .poll(async () => (await Promise.all(holders.map((holder) => getDocument(cluster.url, holder.id)))).filter((document) => document.instance !== null).length, { timeout: 30_000 })
    .toBe(cluster.instances.length * WORKER_CONCURRENCY);

  const [first, second] = cluster.instances;
  const name = topic("Waiting For A Slot");
  const waiting = await create(first!.url, name, client());
  expect(waiting.status).toBe(201);
  // Admitted (under the cap of 8) but queued: no instance runs it, no model request.
  expect(await getDocument(second!.url, waiting.body.id)).toMatchObject({ status: "generating", instance: null });

  const deletedAt = Date.now();
  const deleted = await remove(second!.url, waiting.body);
  expect(deleted.status).toBe(204);
  const seconds = (deleted.answeredAt - deletedAt) / 1000;
  console.log(`DELETE of a queued generation: answered after ${seconds.toFixed(2)} s`);
  // Not after a slot freed up, nor after a lease ran out.
  expect(seconds).toBeLessThan(LOCK_DURATION_MS / 1000);
  await expectGoneEverywhere(waiting.body.id);

  // The slots free up (each holder deleted on an instance that does not run it), and a later generation runs:
  // the queue takes jobs in order, so the deleted one would have started before it.
  for (const holder of holders) {
    const ownerId = (await getDocument(cluster.url, holder.id)).instance;
    expect((await remove(cluster.instances.find((instance) => instance.id !== ownerId)!.url, holder)).status).toBe(204);
  }
  fake.setScenario({ delayMs: 0, chunkSize: 4096 });
  const later = await create(first!.url, topic("After The Slot Holders"), client());
  expect(later.status).toBe(201);
  await expect.poll(async () => (await getDocument(cluster.url, later.body.id)).status, { timeout: 30_000 }).toBe("complete");
  expect(requestsFor(name)).toHaveLength(0);
  for (const holder of holders) await expectGoneEverywhere(holder.id);
});

test("GET /api/health reports Redis and the instance's own generations", async () => {
  for (const instance of cluster.instances) {
    const response = await fetch(`${instance.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ instance: instance.id, database: "ok", redis: "ok", activeGenerations: 0 });
  }
});
