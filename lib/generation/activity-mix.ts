import "server-only";
import type { ModelActivity } from "@/lib/events/document-events";

/**
 * What several model requests of one job do together, as the job's one activity: `writing` while
 * any writes, `thinking` while any thinks and none writes, else `waiting` (parallel mode's parts,
 * the sections a repair round rewrites at once).
 */
export class ActivityMix<Key> {
  private readonly doing = new Map<Key, ModelActivity>();

  constructor(private readonly publish: (activity: ModelActivity) => void) {}

  set(key: Key, activity: ModelActivity): void {
    this.doing.set(key, activity);
    this.publishNow();
  }

  /** The request of `key` ended: it no longer counts. */
  clear(key: Key): void {
    if (this.doing.delete(key)) this.publishNow();
  }

  private publishNow(): void {
    const doing = new Set(this.doing.values());
    this.publish(doing.has("writing") ? "writing" : doing.has("thinking") ? "thinking" : "waiting");
  }
}
