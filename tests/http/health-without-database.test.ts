import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(() => vi.restoreAllMocks());

describe("GET /api/health without a database", () => {
  it("answers 503 with the JSON, and keeps the connection string's password out of the logs", async () => {
    Object.assign(process.env, {
      DATABASE_URL: `postgres://studio:s3cret-password@127.0.0.1:${await closedPort()}/studio`,
      INSTANCE_ID: "",
      OPENAI_BASE_URL: "",
      OPENAI_API_KEY: "",
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { GET } = await import("@/app/api/health/route");

    const response = await GET();
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { instance: string };
    expect(body).toEqual({ instance: expect.stringMatching(/^.+-\d+-[0-9a-f]{6}$/), database: "unreachable", redis: "not configured", activeGenerations: 0 });
    expect(body.instance).toContain(`-${process.pid}-`);
    expect(logged).toHaveBeenCalled();
    expect(JSON.stringify(logged.mock.calls)).not.toContain("s3cret-password");

    // The studio is not cached broken: each check tries again, with the same instance id.
    const again = await GET();
    expect(again.status).toBe(503);
    expect(((await again.json()) as { instance: string }).instance).toBe(body.instance);
  });
});
