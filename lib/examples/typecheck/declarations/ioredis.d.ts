// Minimal ambient declaration of the parts of `ioredis` (v5) that the example
// documents in lib/examples/library/ use. ioredis is not a dependency of this
// app; this exists only so the section-5 compile check can type-check the docs.
// Signatures mirror ioredis 5.x; extend only with methods a document really calls.
declare module "ioredis" {
  export interface RedisOptions {
    /** Reject a command that has not replied within this many ms. */
    commandTimeout?: number;
    connectTimeout?: number;
    /** null = retry forever (ioredis default is 20). */
    maxRetriesPerRequest?: number | null;
    /** false = fail commands immediately while disconnected instead of queueing them. */
    enableOfflineQueue?: boolean;
    lazyConnect?: boolean;
    keyPrefix?: string;
  }

  export class Redis {
    constructor(options?: RedisOptions);
    constructor(url: string, options?: RedisOptions);
    get(key: string): Promise<string | null>;
    set(key: string, value: string | number): Promise<"OK">;
    set(key: string, value: string | number, mode: "PX" | "EX", ttl: number): Promise<"OK">;
    set(key: string, value: string | number, mode: "PX" | "EX", ttl: number, nx: "NX" | "XX"): Promise<"OK" | null>;
    del(...keys: string[]): Promise<number>;
    exists(...keys: string[]): Promise<number>;
    pexpire(key: string, milliseconds: number): Promise<number>;
    eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
    evalsha(sha1: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
    on(event: "error", listener: (err: Error) => void): this;
    on(event: "connect" | "ready" | "close" | "end", listener: () => void): this;
    quit(): Promise<"OK">;
    disconnect(): void;
  }

  export default Redis;
}
