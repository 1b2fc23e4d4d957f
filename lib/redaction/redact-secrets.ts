/**
 * The one place secrets are removed from text that is stored, logged or shown: provider error
 * messages are untrusted and sometimes quote the request's Authorization header or URL.
 * Removes the configured secrets verbatim, `sk-…`-shaped API keys, `Bearer …` values, and the
 * user:password part of URLs. Runs in the browser too: no Node-only imports.
 */
const REDACTED = "[redacted]";

// sk-…, sk-proj-…, sk-or-v1-… and similar: a prefix and a long run of key characters.
const API_KEY = /\b(?:sk|rk|pk)-[A-Za-z0-9_-]{12,}/g;
// "Bearer <token>" in any case, with the token made of the characters tokens use.
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
// scheme://user:password@host or scheme://token@host
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(?::[^\s/@]*)?@/gi;

export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  for (const secret of secrets) {
    // Short values would redact ordinary words; real keys and passwords are longer.
    if (secret && secret.length >= 6) result = result.split(secret).join(REDACTED);
  }
  return result.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(BEARER, `$1 ${REDACTED}`).replace(API_KEY, REDACTED);
}
