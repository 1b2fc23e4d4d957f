import "server-only";
import type { DesignDocument } from "./types";

export type SharedCreation<T> = { shared: true; document: Promise<DesignDocument> } | { shared: false; result: Promise<T> };

/**
 * The state GenerationAdmission shares among the requests it judges: which generation runs for a
 * generation key, and which creation is under way for one. In-process by default; with Redis one
 * ledger serves every instance (lib/cluster/redis/redis-admission-ledger.ts).
 */
export interface AdmissionLedger {
  /** The id of the running generation with this key, if any. */
  runningDocumentId(key: string): Promise<string | undefined>;
  /** Identical requests attach to this generation while it runs (until `done`, where the ledger is in-process). */
  trackRunning(key: string, id: string, done?: Promise<void>): Promise<void>;
  /** Identical requests arriving together share one creation; `shared` tells a caller it joined another's. */
  shareCreation<T extends { document: DesignDocument }>(key: string, create: () => Promise<T>): Promise<SharedCreation<T>>;
}

/** One process: maps, and the check and the reservation happen in the same synchronous turn. */
export class InProcessAdmissionLedger implements AdmissionLedger {
  private readonly runningByKey = new Map<string, string>();
  private readonly pendingByKey = new Map<string, Promise<DesignDocument>>();

  async runningDocumentId(key: string): Promise<string | undefined> {
    return this.runningByKey.get(key);
  }

  async trackRunning(key: string, id: string, done?: Promise<void>): Promise<void> {
    this.runningByKey.set(key, id);
    void done?.then(() => {
      if (this.runningByKey.get(key) === id) this.runningByKey.delete(key);
    });
  }

  async shareCreation<T extends { document: DesignDocument }>(key: string, create: () => Promise<T>): Promise<SharedCreation<T>> {
    const pending = this.pendingByKey.get(key);
    if (pending) return { shared: true, document: pending };
    const result = create();
    const document = result.then((value) => value.document);
    this.pendingByKey.set(key, document);
    const forget = () => this.pendingByKey.delete(key);
    document.then(forget, forget);
    return { shared: false, result };
  }
}
