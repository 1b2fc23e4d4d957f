import { existsSync } from "node:fs";
import path from "node:path";
import { startAppServer, temporaryDirectory, type AppServer } from "../../tests/support/app-server";
import { startFakeOpenAI, type FakeOpenAI, type StartFakeOpenAIOptions } from "../../tests/support/fake-openai/server";

export interface StudioWithFakeModel {
  fake: FakeOpenAI;
  server: AppServer;
  /** Stops the server and the fake model, and removes the database. */
  stop(): Promise<void>;
}

/**
 * The production server (a child process, as users run it) wired to the fake model server on
 * loopback, with a throw-away database: what the load and page benchmarks measure.
 */
export async function startStudioWithFakeModel(options: {
  port: number;
  fake: StartFakeOpenAIOptions;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<StudioWithFakeModel> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("Run `npm run build` first: the benchmark measures the production server.");
  const fake = await startFakeOpenAI(options.fake);
  const directory = temporaryDirectory("studio-bench-");
  let server: AppServer;
  try {
    server = await startAppServer({
      port: options.port,
      nodeArgs: options.nodeArgs,
      env: { OPENAI_BASE_URL: fake.url, OPENAI_MODEL: "fake-model", DATABASE_URL: `file:${path.join(directory.path, "studio.db")}`, ...options.env },
    });
  } catch (error) {
    await fake.close();
    directory.remove();
    throw error;
  }
  return {
    fake,
    server,
    async stop() {
      await server.stop();
      await fake.close();
      directory.remove();
    },
  };
}
