/**
 * URL policy for model-written Markdown (untrusted input).
 * Only http(s), mailto, in-page anchors and relative URLs survive; anything
 * else (javascript:, vbscript:, data:, file:, …) becomes "" and the link is
 * rendered without an href.
 */

const ALLOWED_PROTOCOL = /^(?:https?|mailto):$/i;

export function safeUrl(url: string): string {
  // Browsers ignore ASCII control chars and whitespace inside a scheme ("java\tscript:").
  const normalized = url.replace(/[\u0000-\u0020\u007f]+/g, "");
  const colon = normalized.indexOf(":");
  if (colon === -1) return url;
  const firstDelimiter = normalized.search(/[/?#]/);
  // A ":" after the first "/", "?" or "#" is part of a relative URL, not a scheme.
  if (firstDelimiter !== -1 && firstDelimiter < colon) return url;
  return ALLOWED_PROTOCOL.test(normalized.slice(0, colon + 1)) ? url : "";
}

/** Links that leave the app: they get rel="noopener noreferrer nofollow". */
export function isExternalUrl(url: string): boolean {
  return /^(?:https?:)?\/\//i.test(url.trim());
}
