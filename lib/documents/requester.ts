/**
 * Who is asking, in the domain's terms (lib/http builds it from the request): what the rate
 * limit counts, where identical requests may be shared, and what proves a right to change a
 * document.
 */
export interface Requester {
  /** The identity the hourly rate limit counts (one shared identity when clients cannot be told apart). */
  clientKey: string;
  /**
   * Identical requests share a running generation, and are offered a finished one, only within
   * one scope: the same client, or the signed-in users when ACCESS_TOKEN is set. null when the
   * requester cannot be told apart from others (plain `next start`): nothing is shared.
   */
  scope: string | null;
  /** Holds ACCESS_TOKEN (false when none is configured). */
  tokenHolder: boolean;
  /** The edit token the requester sent (X-Edit-Token), if any. */
  editToken: string | null;
}
