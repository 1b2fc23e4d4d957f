import type { StudioConfig } from "@/lib/config/env";
import { redactSecrets } from "./redact-secrets";

type SecretConfig = Pick<StudioConfig, "openaiApiKey" | "accessToken" | "databaseUrl"> & Partial<Pick<StudioConfig, "redisUrl">>;

/** The password of a URL such as postgres://user:password@host/db, if it has one. */
function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Every secret this server was configured with, as it could appear in a message. */
export function configuredSecrets(config: SecretConfig): string[] {
  return [config.openaiApiKey, config.accessToken, urlPassword(config.databaseUrl), urlPassword(config.redisUrl)].filter((secret): secret is string => Boolean(secret));
}

/** The redaction this server applies to every message it stores, logs or shows. */
export function redactorFor(config: SecretConfig): (text: string) => string {
  const secrets = configuredSecrets(config);
  return (text) => redactSecrets(text, secrets);
}
