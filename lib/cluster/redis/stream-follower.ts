import "server-only";
import type { Redis } from "ioredis";
import { type LogEntry, parseEntries } from "./event-log";

type Listener = (entries: LogEntry[]) => void;

interface Followed {
  /** Last entry id read for this stream. */
  cursor: string;
  listeners: Set<Listener>;
}

const BLOCK_MS = 5_000;
const BATCH = 2_000;

/**
 * Follows every document stream this instance's readers are attached to with ONE blocking
 * connection: a single `XREAD BLOCK … STREAMS k1 k2 … id1 id2 …` loop whose results are handed
 * to each stream's listeners. A stream added while the read blocks wakes it (`CLIENT UNBLOCK`),
 * so a new reader does not wait for the timeout. A listener receives every entry after the
 * stream's cursor at the time it was added; it reads the history itself and de-duplicates by id.
 */
export class StreamFollower {
  private readonly streams = new Map<string, Followed>();
  private blockingClientId: number | null = null;
  private blocked = false;
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly blocking: Redis,
    private readonly command: Redis,
  ) {
    void this.loop();
  }

  /** Starts delivering new entries of `key` to `listener`; returns how to stop. */
  async add(key: string, listener: Listener): Promise<() => void> {
    let followed = this.streams.get(key);
    if (!followed) {
      const last = (await this.command.xrevrange(key, "+", "-", "COUNT", 1)) as [string, string[]][];
      followed = this.streams.get(key);
      if (!followed) {
        followed = { cursor: last[0]?.[0] ?? "0-0", listeners: new Set() };
        this.streams.set(key, followed);
        this.interrupt();
      }
    }
    const current = followed;
    current.listeners.add(listener);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.streams.get(key) === current) this.streams.delete(key);
    };
  }

  get followedStreams(): number {
    return this.streams.size;
  }

  close(): void {
    this.closed = true;
    this.interrupt();
  }

  private interrupt(): void {
    if (this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
    } else if (this.blocked && this.blockingClientId !== null) {
      void this.command.client("UNBLOCK", this.blockingClientId).catch(() => {});
    }
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      if (this.streams.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const keys = [...this.streams.keys()];
      const cursors = keys.map((key) => this.streams.get(key)!.cursor);
      let reply: [string, [string, string[]][]][] | null;
      try {
        this.blockingClientId ??= (await this.blocking.client("ID")) as number;
        this.blocked = true;
        reply = (await this.blocking.xread("COUNT", BATCH, "BLOCK", BLOCK_MS, "STREAMS", ...keys, ...cursors)) as typeof reply;
      } catch (error) {
        if (this.closed) return;
        console.error("Redis stream follower:", error instanceof Error ? error.message : error);
        this.blockingClientId = null;
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      } finally {
        this.blocked = false;
      }
      if (!reply) continue;
      for (const [key, raw] of reply) {
        const followed = this.streams.get(key);
        if (!followed || raw.length === 0) continue;
        const entries = parseEntries(raw);
        followed.cursor = entries.at(-1)!.id;
        for (const listener of followed.listeners) {
          try {
            listener(entries);
          } catch (error) {
            console.error("stream listener failed", error);
            followed.listeners.delete(listener);
          }
        }
      }
    }
  }
}
