import { z } from "zod";
import { MAX_TOPIC_LENGTH } from "./types";

// Control characters (C0, DEL, C1) and line/paragraph separators: a topic is one line of plain text.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;
// What renders as nothing: spaces, format characters (zero-width space, joiners, BOM), default-ignorables.
const INVISIBLE_CHARACTERS = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** Whether a topic shows anything once compatibility forms are folded and invisible characters dropped. */
function hasVisibleCharacter(value: string): boolean {
  return value.normalize("NFKC").replace(INVISIBLE_CHARACTERS, "").length > 0;
}

/**
 * A system-design topic as typed by a user. Punctuation is welcome ("N+1 Query Problem",
 * "Distributed Consensus (Raft/Paxos)"); what is rejected is what cannot be a one-line title.
 */
export const topicSchema = z
  .string({ error: "topic must be a string" })
  .transform((value) => value.trim())
  .superRefine((value, ctx) => {
    if (value.length === 0) {
      ctx.addIssue({ code: "custom", message: "Topic is empty: type a system-design topic such as \"Rate Limiting\"." });
    } else if (!value.isWellFormed()) {
      ctx.addIssue({ code: "custom", message: "Topic contains invalid Unicode (a lone surrogate)." });
    } else if (FORBIDDEN_CHARACTERS.test(value)) {
      ctx.addIssue({ code: "custom", message: "Topic must be a single line without control characters." });
    } else if (!hasVisibleCharacter(value)) {
      ctx.addIssue({ code: "custom", message: "Topic has no visible characters: type a system-design topic such as \"Rate Limiting\"." });
    } else if (value.length > MAX_TOPIC_LENGTH) {
      ctx.addIssue({ code: "custom", message: `Topic is too long (${value.length} characters; the limit is ${MAX_TOPIC_LENGTH}).` });
    }
  });

/** The identity of a topic for de-duplication: case, spacing and Unicode compatibility forms do not matter. */
export function topicKey(topic: string): string {
  return topic.normalize("NFKC").toLocaleLowerCase("en-US").replace(/\s+/g, " ").trim();
}

/** A safe, readable file name stem: "Bulkheads & Resource Isolation" → "bulkheads-resource-isolation". */
export function topicSlug(topic: string): string {
  const slug = topic
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    // Runs of anything else are one "-" already.
    .replace(/^-|-$/g, "")
    .slice(0, 80)
    .replace(/-$/, "");
  return slug || "design-document";
}
