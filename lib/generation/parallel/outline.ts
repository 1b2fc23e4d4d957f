import "server-only";
import { Output } from "ai";
import { z } from "zod";
import type { Outline } from "@/lib/documents/section-parts";
import { SECTIONS } from "@/lib/sections/rubric";

function line(max: number) {
  return z.string().trim().min(1, "is empty").max(max, `is longer than ${max} characters`);
}

/** A title as the document shows it: without Markdown heading marks, on one line. */
export function normalizeTitle(title: string): string {
  return title.trim().replace(/^#+\s*/, "").replace(/\s+/g, " ");
}

/**
 * What the model is asked for: plain types, so that providers enforcing a JSON schema (OpenAI's
 * strict structured outputs) accept it; the limits are checked afterwards by `outlineSchema`.
 */
function requestedShape(split: boolean) {
  const base = {
    title: z.string(),
    summary: z.string(),
    incorrectApproaches: z.array(z.object({ name: z.string(), summary: z.string() })),
    keyTerms: z.array(z.string()),
    sections: z.array(z.object({ number: z.number().int(), covers: z.string() })),
  };
  return split
    ? z.object({ ...base, implementation: z.object({ core: z.string(), integration: z.string(), declarations: z.array(z.string()) }) })
    : z.object(base);
}

/** The outline as accepted: every field present, sizes a plan can have, the 12 sections in order. */
function outlineSchema(split: boolean) {
  const implementation = z.object({
    core: line(600),
    integration: line(600),
    declarations: z.array(line(400)).min(1, "lists no declaration").max(20),
  });
  return z.object({
    title: line(200).transform(normalizeTitle),
    summary: line(600),
    incorrectApproaches: z
      .array(z.object({ name: line(120), summary: line(400) }))
      .min(2, "needs at least 2 incorrect approaches")
      .max(4, "has more than 4 incorrect approaches"),
    keyTerms: z.array(line(200)).min(1, "lists no key term").max(16),
    sections: z
      .array(z.object({ number: z.number().int(), covers: line(400) }))
      .refine((sections) => sections.length === SECTIONS.length && sections.every((section, index) => section.number === index + 1), {
        message: `must list the ${SECTIONS.length} sections, numbered 1 to ${SECTIONS.length} in order`,
      }),
    implementation: split ? implementation : implementation.optional(),
  });
}

/** The structured output a provider may enforce; the text still streams and is validated here. */
export function outlineOutput(split: boolean) {
  return Output.object({ schema: requestedShape(split), name: "document_outline", description: "The plan of a design document in 12 sections." });
}

/**
 * The JSON object in a model's answer: the whole text, or (a server that ignored the response
 * format) the object inside a code fence or surrounded by prose.
 */
function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n\s*```/.exec(text)?.[1];
  const candidates = [text, fenced, text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next reading
    }
  }
  throw new Error("the answer is not a JSON object");
}

export type OutlineVerdict = { ok: true; outline: Outline } | { ok: false; reason: string };

/** Validates a model's outline answer; the reason names the first problem, for the retry and the error. */
export function parseOutline(text: string, split: boolean): OutlineVerdict {
  let value: unknown;
  try {
    value = extractJson(text);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const parsed = outlineSchema(split).safeParse(value);
  if (parsed.success) return { ok: true, outline: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "the outline";
  return { ok: false, reason: `${where} ${issue?.message ?? "is invalid"}`.slice(0, 300) };
}

/**
 * The value of a top-level string field once it has streamed in whole (its closing quote seen),
 * for showing the title and summary before the rest of the outline arrives. Null until then.
 * Only the fields before the first nested array or object are read: nested ones share names
 * (an incorrect approach's `summary`), and a field the model put after them shows at the end.
 */
export function completedStringField(text: string, field: string): string | null {
  const nested = text.slice(text.indexOf("{") + 1).search(/[[{]/);
  const head = nested < 0 ? text : text.slice(0, text.indexOf("{") + 1 + nested);
  const match = new RegExp(`"${field}"\\s*:\\s*"`).exec(head);
  if (!match) return null;
  let index = match.index + match[0].length;
  for (; index < text.length; index += 1) {
    const char = text[index];
    if (char === "\\") index += 1;
    else if (char === '"') break;
  }
  if (index >= text.length) return null;
  try {
    const value = JSON.parse(text.slice(match.index + match[0].length - 1, index + 1)) as unknown;
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
