import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import { createTestDatabase, testBackend, type TestDatabase } from "./test-database";

/** Why this file's database tests cannot run here (PostgreSQL down outside CI), or null. */
export function databaseUnavailable(): string | null {
  return testBackend() === "postgres" ? (inject("postgresUnavailable") ?? null) : null;
}

/**
 * Skips every test of the file, with the reason, when its back end is unavailable; in CI the
 * global set-up has already failed the run instead.
 */
export function skipWithoutDatabase(): void {
  beforeEach((context) => {
    const reason = databaseUnavailable();
    if (reason) context.skip(reason);
  });
}

/**
 * A database of the project's back end for the whole test file (created before its tests,
 * dropped after them). The returned object forwards to it once it exists.
 */
export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    if (!databaseUnavailable()) current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.drop();
  });
  skipWithoutDatabase();
  return new Proxy({} as TestDatabase, {
    get(_target, property) {
      if (!current) throw new Error("the test database is used before it was created (use it inside tests)");
      return Reflect.get(current, property, current);
    },
  });
}
