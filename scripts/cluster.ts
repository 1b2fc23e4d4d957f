/**
 * npm run cluster -- --instances 3 [--port 8080]
 *
 * Starts N studio instances and nginx in front of them on 127.0.0.1 (see README "Running several
 * instances"). With more than one instance, DATABASE_URL must be PostgreSQL and REDIS_URL is
 * required (default redis://127.0.0.1:6379). Ctrl-C stops everything.
 */
import { startCluster } from "./cluster/start-cluster";

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number`);
    process.exit(2);
  }
  return value;
}

const instances = flag("instances", 3);
const port = flag("port", 8080);
const env: Record<string, string> = {};
if (instances > 1) {
  if (!/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) {
    console.error("Several instances share one PostgreSQL database: set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DATABASE (see README \"Moving to PostgreSQL\").");
    process.exit(2);
  }
  env.REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
}

const cluster = await startCluster({ instances, port, env, onOutput: (id, line) => console.log(`[${id}] ${line}`) });
console.log(`\nDesign Doc Studio: ${instances} instance(s) behind nginx on ${cluster.url}`);
for (const instance of cluster.instances) console.log(`  ${instance.id}  ${instance.url}`);
console.log("Ctrl-C stops them all.");

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
