// Opens (and migrates) a store the way the server does at start, in a process of its own: used to
// see the start-up failure as another user (a read-only database cannot be produced for root).
// Run: node --conditions=react-server --import tsx tests/support/open-store-cli.ts <DATABASE_URL>
import { DocumentStore } from "@/lib/store/document-store";

try {
  const store = await DocumentStore.open(process.argv[2]);
  await store.close();
  console.log("opened");
} catch (error) {
  console.log((error as Error).message);
  process.exitCode = 1;
}
