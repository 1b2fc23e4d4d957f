import "server-only";
import type { Redis } from "ioredis";

/**
 * The shared event log of a document's generation: a Redis stream per document, plus a small hash
 * of its state. Every job event goes in, in order — text with its offsets, and every other event
 * type whole (checks, and whatever types the pipeline adds) — so any instance serves any reader
 * the same events with the same offsets.
 *
 * Keys: `<prefix>:doc:<id>:events` (stream; fields `t` type, `d` JSON payload, `o` text offset
 * after the entry) and `<prefix>:doc:<id>:meta` (hash: `start` the queue job of this start,
 * `fence` the owner's fencing token, `owner` its instance, `len` the text length, `ended`).
 * Appends are Lua scripts: they carry the writer's fence and are refused unless it is the current
 * one, and text must start exactly where the log's text ends.
 */
export interface LogEntry {
  /** The stream entry id (`<ms>-<seq>`), increasing. */
  id: string;
  type: string;
  /** JSON: a text delta (a string), or the whole event. */
  data: string;
  /** Text length once this entry is applied. */
  offset: number;
}

export interface PendingEvent {
  type: string;
  data: string;
  /** Text offsets the entry covers (equal for events that are not text). */
  start: number;
  end: number;
}

export type AppendResult = "ok" | "fenced" | "gap";

export interface LogMeta {
  start: string | null;
  fence: number | null;
  owner: string | null;
  length: number;
  ended: boolean;
}

/** Keys of a finished log live this long, for readers that attach just after the end. */
const ENDED_TTL_SECONDS = 600;
/** A log nobody ended (everything died) goes away eventually. */
const LIVE_TTL_SECONDS = 24 * 3600;

const BEGIN = `
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[2], 'start', ARGV[1], 'fence', ARGV[2], 'len', ARGV[4], 'owner', '')
if tonumber(ARGV[4]) > 0 then
  redis.call('XADD', KEYS[1], '*', 't', 'text', 'd', ARGV[3], 'o', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[5])
end
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1`;

const TAKE_OVER = `
if redis.call('HGET', KEYS[1], 'start') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'ended') then return 0 end
local fence = tonumber(redis.call('HGET', KEYS[1], 'fence') or '0')
if tonumber(ARGV[2]) <= fence then return 0 end
redis.call('HSET', KEYS[1], 'fence', ARGV[2], 'owner', ARGV[3])
return 1`;

const APPEND = `
if redis.call('HGET', KEYS[2], 'fence') ~= ARGV[1] or redis.call('HGET', KEYS[2], 'ended') then return -1 end
local len = tonumber(redis.call('HGET', KEYS[2], 'len') or '0')
local n = tonumber(ARGV[2])
local position = len
for i = 0, n - 1 do
  local base = 3 + i * 4
  if ARGV[base] == 'text' then
    if tonumber(ARGV[base + 2]) ~= position then return -2 end
    position = tonumber(ARGV[base + 3])
  end
end
local ended = false
for i = 0, n - 1 do
  local base = 3 + i * 4
  if ARGV[base] == 'text' then len = tonumber(ARGV[base + 3]) end
  redis.call('XADD', KEYS[1], '*', 't', ARGV[base], 'd', ARGV[base + 1], 'o', tostring(len))
  if ARGV[base] == 'end' then ended = true end
end
redis.call('HSET', KEYS[2], 'len', tostring(len))
if ended then
  redis.call('HSET', KEYS[2], 'ended', '1', 'owner', '')
  redis.call('EXPIRE', KEYS[1], ARGV[3 + n * 4])
  redis.call('EXPIRE', KEYS[2], ARGV[3 + n * 4])
else
  redis.call('EXPIRE', KEYS[1], ARGV[4 + n * 4])
end
return len`;

type ScriptClient = Redis & {
  studioBegin(stream: string, meta: string, cancel: string, start: string, fence: number, prefix: string, length: number, ttl: number): Promise<number>;
  studioTakeOver(meta: string, start: string, fence: number, owner: string): Promise<number>;
  studioAppend(stream: string, meta: string, ...args: (string | number)[]): Promise<number>;
};

export function parseEntries(raw: [string, string[]][]): LogEntry[] {
  return raw.map(([id, fields]) => {
    const entry: LogEntry = { id, type: "", data: "null", offset: 0 };
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const value = fields[i + 1]!;
      if (fields[i] === "t") entry.type = value;
      else if (fields[i] === "d") entry.data = value;
      else if (fields[i] === "o") entry.offset = Number(value);
    }
    return entry;
  });
}

/** Stream ids are `<ms>-<seq>`; compares them as numbers. */
export function compareEntryIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split("-").map(Number);
  const [bm = 0, bs = 0] = b.split("-").map(Number);
  return am === bm ? as - bs : am - bm;
}

export class EventLog {
  private readonly redis: ScriptClient;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand("studioBegin", { numberOfKeys: 3, lua: BEGIN });
    redis.defineCommand("studioTakeOver", { numberOfKeys: 1, lua: TAKE_OVER });
    redis.defineCommand("studioAppend", { numberOfKeys: 2, lua: APPEND });
    this.redis = redis as ScriptClient;
  }

  streamKey(id: string): string {
    return `${this.prefix}:doc:${id}:events`;
  }

  private metaKey(id: string): string {
    return `${this.prefix}:doc:${id}:meta`;
  }

  cancelKey(id: string): string {
    return `${this.prefix}:doc:${id}:cancel`;
  }

  /** A new start (create, Continue, Retry, resume): a fresh log holding the text it starts from. */
  async begin(id: string, start: string, fence: number, prefixText: string): Promise<void> {
    await this.redis.studioBegin(this.streamKey(id), this.metaKey(id), this.cancelKey(id), start, fence, JSON.stringify(prefixText), prefixText.length, LIVE_TTL_SECONDS);
  }

  /** The owner of `start` with this (newer) fence; from now on only its appends are accepted. False when the log moved on. */
  async takeOver(id: string, start: string, fence: number, owner: string): Promise<boolean> {
    return (await this.redis.studioTakeOver(this.metaKey(id), start, fence, owner)) === 1;
  }

  /** Appends events in order, if `fence` is still the owner's and the text continues exactly. */
  async append(id: string, fence: number, events: readonly PendingEvent[]): Promise<AppendResult> {
    const args: (string | number)[] = [fence, events.length];
    for (const event of events) args.push(event.type, event.data, event.start, event.end);
    args.push(ENDED_TTL_SECONDS, LIVE_TTL_SECONDS);
    const result = await this.redis.studioAppend(this.streamKey(id), this.metaKey(id), ...args);
    return result === -1 ? "fenced" : result === -2 ? "gap" : "ok";
  }

  async meta(id: string): Promise<LogMeta> {
    const fields = await this.redis.hgetall(this.metaKey(id));
    return {
      start: fields.start ?? null,
      fence: fields.fence === undefined ? null : Number(fields.fence),
      owner: fields.owner || null,
      length: Number(fields.len ?? 0),
      ended: fields.ended === "1",
    };
  }

  /** Every entry so far. */
  async entries(id: string): Promise<LogEntry[]> {
    return parseEntries((await this.redis.xrange(this.streamKey(id), "-", "+")) as [string, string[]][]);
  }

  /** The text readers have been sent. */
  async text(id: string): Promise<string> {
    let text = "";
    for (const entry of await this.entries(id)) if (entry.type === "text") text += JSON.parse(entry.data) as string;
    return text;
  }
}
