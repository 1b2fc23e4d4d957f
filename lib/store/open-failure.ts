import "server-only";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import type { DatabaseTarget } from "./connect";

/** The database could not be opened or migrated: the message says where and why, with credentials redacted. */
export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseOpenError";
  }
}

/** Error codes along the cause chain (SqliteError and pg errors carry `code`; migrations wrap them). */
function codes(error: unknown): string[] {
  const found: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") found.push(code);
    for (const inner of (current as { errors?: unknown[] }).errors ?? []) {
      const innerCode = (inner as { code?: unknown }).code;
      if (typeof innerCode === "string") found.push(innerCode);
    }
  }
  return found;
}

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
  }
  return parts.join(": ");
}

function writable(target: string): boolean {
  try {
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function sqliteReason(file: string, error: unknown): string {
  const found = codes(error);
  const folder = path.dirname(file);
  let stats: ReturnType<typeof statSync> | undefined;
  try {
    stats = statSync(file);
  } catch {
    stats = undefined;
  }
  if (stats?.isDirectory()) return "it is a directory, not a database file";
  if (found.includes("SQLITE_NOTADB")) return "the file is not a SQLite database";
  if (found.some((code) => code.startsWith("SQLITE_CORRUPT"))) return "the database file is corrupt";
  if (found.includes("EROFS")) return "it is on a read-only file system";
  if (found.some((code) => code.startsWith("SQLITE_READONLY")) || (stats && !writable(file))) {
    return "it is read-only: the server must be able to write the file and create files next to it (WAL)";
  }
  if (found.includes("EACCES") || found.includes("EPERM")) return `permission denied (${folder})`;
  if (!stats && !writable(folder)) return `the folder ${folder} is not writable, so the file cannot be created`;
  return `it cannot be opened (${messages(error)})`;
}

const UNREACHABLE = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"];

function postgresReason(error: unknown): string {
  const found = codes(error);
  const unreachable = found.find((code) => UNREACHABLE.includes(code));
  if (unreachable) return `the server is unreachable (${unreachable})`;
  if (/timeout.*connect/i.test(messages(error))) return "the server is unreachable (connection timed out)";
  if (found.includes("28P01") || found.includes("28000")) return "authentication failed";
  if (found.includes("3D000")) return "the database does not exist";
  return messages(error);
}

/** "Cannot use the database (SQLite file /srv/data/studio.db): it is a directory, not a database file." */
export function describeOpenFailure(target: DatabaseTarget, error: unknown): string {
  const where = target.dialect === "sqlite" ? `SQLite file ${path.resolve(target.file)}` : `PostgreSQL ${target.url}`;
  const reason = target.dialect === "sqlite" ? sqliteReason(path.resolve(target.file), error) : postgresReason(error);
  return redactSecrets(`Cannot use the database (DATABASE_URL, ${where}): ${reason}.`);
}
