/**
 * npm run migrate-data -- --from file:./data/studio.db --to postgres://user:pass@host/db [--overwrite]
 *
 * Copies a SQLite studio into PostgreSQL (lib/store/copy-database.ts): migrates the target, copies
 * every row in one transaction, verifies row counts and SHA-256 checksums read back from the target
 * before committing, and prints them. Stop the studio first. Exit code 0 copied and verified,
 * 1 refused or failed (the target is unchanged), 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { CopyRefused, copyStudioDatabase, describeDatabaseUrl } from "@/lib/store/copy-database";

const USAGE = "Usage: npm run migrate-data -- --from file:PATH --to postgres://USER:PASSWORD@HOST:PORT/DATABASE [--overwrite]";

function parse() {
  try {
    const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" }, overwrite: { type: "boolean", default: false }, help: { type: "boolean", default: false } } });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (!values.from || !values.to) throw new Error("--from and --to are required.");
    return { from: values.from, to: values.to, overwrite: values.overwrite };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

const options = parse();
console.log(`Copying ${describeDatabaseUrl(options.from)} → ${describeDatabaseUrl(options.to)}`);
try {
  const tables = await copyStudioDatabase({ ...options, log: (line) => console.log(line) });
  console.log("\nVerified in the target's transaction before commit (rows read back from the target):");
  for (const table of tables) {
    console.log(`  ${table.table}: rows ${table.sourceRows} (source) = ${table.targetRows} (target)`);
    console.log(`  ${table.table}: sha256 ${table.sourceChecksum} (source)`);
    console.log(`  ${table.table}: sha256 ${table.targetChecksum} (target)`);
    if (table.replacedCharacters > 0) {
      console.log(`  ${table.table}: ${table.replacedCharacters} characters stored as U+FFFD (U+0000 or half an emoji, which PostgreSQL cannot hold; the checksums cover the stored text)`);
    }
  }
  console.log("Checksum: SHA-256 over the sorted SHA-256 digests of every row (all columns, by name, values as text).");
  console.log("Copy committed.");
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof CopyRefused ? message : `The copy failed, nothing was committed: ${describeDatabaseUrl(message)}`);
  process.exit(1);
}
