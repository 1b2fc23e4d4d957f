/**
 * Content-Disposition with a file name that survives any topic (RFC 6266 / RFC 8187):
 * `filename="<ascii>"` for old clients beside `filename*=UTF-8''<percent-encoded>` which every
 * current browser prefers. Both names are built here from already-sanitised stems, and the ASCII
 * one is checked again, so a hostile topic can never break out of the header.
 */

// RFC 8187 attr-char: everything else is percent-encoded (encodeURIComponent leaves ' ( ) * ! alone).
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

export function encodeRfc8187(value: string): string {
  let encoded = "";
  for (const character of value) {
    if (ATTR_CHAR.test(character)) encoded += character;
    else for (const byte of new TextEncoder().encode(character)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

export function contentDisposition(disposition: "attachment" | "inline", name: { unicode: string; ascii: string }): string {
  const ascii = name.ascii.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name.unicode)}`;
}
