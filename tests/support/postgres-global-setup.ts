import type { TestProject } from "vitest/node";
import { POSTGRES_SETUP_HELP, probePostgres } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    /** Why the `postgres` project's tests are skipped (only outside CI); null when PostgreSQL answers. */
    postgresUnavailable: string | null;
  }
}

const inCi = () => Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI ?? "");

/** Runs once before the `postgres` project: with CI set, an unreachable server fails the run. */
export default async function setup(project: TestProject) {
  try {
    await probePostgres();
    project.provide("postgresUnavailable", null);
  } catch (error) {
    const message = `${POSTGRES_SETUP_HELP}\nCause: ${error instanceof Error ? error.message : String(error)}`;
    if (inCi()) throw new Error(`CI is set, so the PostgreSQL tests must run.\n${message}`);
    console.warn(`\n⚠ Skipping the tests of the "postgres" project.\n${message}\n`);
    project.provide("postgresUnavailable", message);
  }
}
