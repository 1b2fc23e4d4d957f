import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import opentype from "opentype.js";

/**
 * Fonts for Open Graph images, bundled in the repository: nothing may be fetched at run time.
 * DejaVu Sans covers Latin, Greek and Cyrillic; Droid Sans Fallback covers Han and kana; NanumSquare
 * covers Hangul (all 11,172 syllables). Licences beside the files.
 *
 * Next's ImageResponse (satori) downloads a Google font or a Twemoji image for any character no
 * given font has. That would be a request to a third party at run time, carrying the topic's text.
 * So text is filtered to what these fonts cover before it is drawn (coveredText).
 */
const FONT_DIRECTORY = path.join(process.cwd(), "lib", "og", "fonts");

interface LoadedFonts {
  options: { name: string; data: ArrayBuffer; weight: 400 | 700; style: "normal" }[];
  parsed: opentype.Font[];
}

let loaded: LoadedFonts | undefined;

function load(): LoadedFonts {
  if (loaded) return loaded;
  const files = [
    { file: "DejaVuSans.ttf", name: "DejaVu Sans", weight: 400 },
    { file: "DejaVuSans-Bold.ttf", name: "DejaVu Sans", weight: 700 },
    { file: "DroidSansFallbackFull.ttf", name: "Droid Sans Fallback", weight: 400 },
    { file: "NanumSquareR.ttf", name: "NanumSquare", weight: 400 },
  ] as const;
  const buffers = files.map(({ file }) => {
    const bytes = readFileSync(path.join(FONT_DIRECTORY, file));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  });
  loaded = {
    // One array for the process: satori caches parsed fonts by this array's identity.
    options: files.map(({ name, weight }, index) => ({ name, data: buffers[index]!, weight, style: "normal" as const })),
    parsed: buffers.map((buffer) => opentype.parse(buffer)),
  };
  return loaded;
}

export const OG_FONT_FAMILY = '"DejaVu Sans", "Droid Sans Fallback", "NanumSquare"';

export function ogFonts(): LoadedFonts["options"] {
  return load().options;
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Whether some bundled font draws this grapheme without help (emoji never: satori fetches those). */
export function isCovered(grapheme: string): boolean {
  if (/\s/u.test(grapheme)) return true;
  // satori draws anything it classes as emoji (its rule: \p{Emoji} but # * and digits) as a fetched image.
  if (/\p{Regional_Indicator}|(?![#*\d])\p{Emoji}/u.test(grapheme)) return false;
  const { parsed } = load();
  for (const character of grapheme) {
    if (/\p{M}/u.test(character) && character !== grapheme) continue; // combining marks ride on their base
    if (!parsed.some((font) => font.charToGlyphIndex(character) > 0)) return false;
  }
  return true;
}

/** `text` with every grapheme the bundled fonts cannot draw removed (spacing tidied). */
export function coveredText(text: string): string {
  let result = "";
  for (const { segment } of graphemes.segment(text)) if (isCovered(segment)) result += segment;
  return result.replace(/\s+/g, " ").trim();
}
