/**
 * Text as both dialects can store it and give back unchanged. Model output is untrusted, and
 * two things in a JavaScript string do not survive the database:
 * - U+0000: PostgreSQL `text` refuses it (every checkpoint of that document would fail);
 * - a lone surrogate (half an emoji): each driver encodes it to UTF-8 its own way, and SQLite
 *   gives back three U+FFFD for it, so the stored text would be longer than the streamed one.
 * Both become U+FFFD — one UTF-16 code unit for one, so stream offsets stay valid — on SQLite and
 * PostgreSQL alike.
 */
export function storableText(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes("\u0000") ? wellFormed.replaceAll("\u0000", "\uFFFD") : wellFormed;
}

/**
 * A checkpoint is a prefix of text still streaming: when it ends between the two halves of a
 * pair, the first half is left for the next checkpoint rather than stored as U+FFFD.
 */
export function storablePrefix(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return storableText(last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text);
}
