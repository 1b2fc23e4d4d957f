import { spawnSync } from "node:child_process";
import { chmodSync } from "node:fs";
import path from "node:path";

export interface ReadOnlyDatabase {
  /** Run the server as this user (root ignores file modes, so another user plays the server). */
  uid?: number;
  /** Makes the file and its folder writable again. */
  restore(): void;
}

/**
 * Makes a SQLite file and its folder read-only for the server under test. Modes are enough for
 * an ordinary user. Root writes anything, so for root the file and folder are made immutable
 * (chattr +i; needs a file system that supports it) or, where that is not possible, the server is
 * run as `nobody`.
 */
export function makeDatabaseReadOnly(file: string): ReadOnlyDatabase {
  const folder = path.dirname(file);
  if (process.getuid?.() !== 0) {
    chmodSync(file, 0o444);
    chmodSync(folder, 0o555);
    return {
      restore() {
        chmodSync(folder, 0o755);
        chmodSync(file, 0o644);
      },
    };
  }
  const immutable = spawnSync("chattr", ["+i", file, folder], { encoding: "utf8" });
  if (immutable.status === 0) return { restore: () => void spawnSync("chattr", ["-i", file, folder]) };
  return { uid: 65534, restore() {} };
}
