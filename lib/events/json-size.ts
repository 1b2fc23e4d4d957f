/**
 * How many bytes text takes on the wire as JSON in UTF-8, and where to cut it to stay under a
 * bound: what lib/events/document-events.ts uses to keep every event's data small. Browser-safe.
 */

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
/** The most one UTF-16 code unit can take in JSON (`\u0001`, a lone surrogate's `\udXXX`). */
const MAX_JSON_BYTES_PER_UNIT = 6;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
/** Control characters JSON.stringify writes as two characters (\b \t \n \f \r); the others take six (\u00XX). */
const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/** UTF-8 bytes of `text` (a lone surrogate counted as the replacement character a TextEncoder writes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Where to cut `text` so that each piece, written with JSON.stringify, takes at most `budget`
 * UTF-8 bytes, its quotes included. A cut never falls between the halves of a surrogate pair, so
 * every piece is well-formed wherever the whole was (non-JS readers decode each piece alone).
 * Returns the end index of each piece: at least one, the last being `text.length`. A budget
 * smaller than one character's escape (8 bytes) still moves on, one character per piece.
 */
export function jsonStringCuts(text: string, budget: number): number[] {
  const QUOTES = 2;
  // A live delta is short: it fits whatever it holds, no need to look at each character.
  if (QUOTES + text.length * MAX_JSON_BYTES_PER_UNIT <= budget) return [text.length];
  const ends: number[] = [];
  let used = QUOTES;
  for (let index = 0; index < text.length; ) {
    const code = text.charCodeAt(index);
    let units = 1;
    let bytes: number;
    if (code === 0x22 || code === 0x5c) bytes = 2; // \" and \\
    else if (code < 0x20) bytes = SHORT_ESCAPES.has(code) ? 2 : 6;
    else if (code < 0x80) bytes = 1;
    else if (code < 0x800) bytes = 2;
    else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes = 4;
      units = 2;
    } else if (isHighSurrogate(code) || isLowSurrogate(code)) bytes = 6; // a lone surrogate: \udXXX
    else bytes = 3;
    if (used + bytes > budget && used > QUOTES) {
      ends.push(index);
      used = QUOTES;
    }
    used += bytes;
    index += units;
  }
  ends.push(text.length);
  return ends;
}
