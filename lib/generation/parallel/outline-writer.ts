import "server-only";
import { HEAD_SECTION, type Outline, type PartKey } from "@/lib/documents/section-parts";
import { outlinePrompt } from "@/lib/prompts/parallel-prompts";
import type { FirstPassContext } from "../first-pass";
import { runModelStream } from "../run-model-stream";
import { completedStringField, normalizeTitle, outlineOutput, parseOutline } from "./outline";
import { partRequest } from "./part-request";
import type { PartsBoard } from "./parts-board";

export const HEAD: PartKey = { section: HEAD_SECTION, part: 1 };

/** The status code of a refused request, as describeProviderError words it (e.g. a server that rejects JSON-schema response formats). */
const REFUSED_REQUEST = /HTTP (400|404|415|422)\b/;

function titleLine(title: string): string {
  return `# ${normalizeTitle(title)}\n\n`;
}

function summaryBlock(summary: string): string {
  return `${summary.trim()}\n\n`;
}

/**
 * The title and summary the head already shows (a generation that stopped after showing them
 * keeps them). The head is only ever written as `titleLine` and then `summaryBlock`.
 */
function shownHead(text: string): { title: string | null; summary: string | null } {
  // Stryker disable next-line Regex: the head starts with its title line and its rest runs to the end, anchored or not.
  const match = /^# (.*)\n\n([\s\S]*)$/.exec(text);
  if (!match) return { title: null, summary: null };
  return { title: match[1] ?? null, summary: match[2]?.trim() || null };
}

export type OutlineResult = { status: "complete"; outline: Outline } | { status: "failed"; error: string } | { status: "cancelled" };

/**
 * Writes the outline (part 0, the head): one short request for a JSON plan, validated with zod.
 * Its title and summary become the document's first lines as soon as each has streamed in whole,
 * so readers see text within about a second. An answer that is not a valid outline (a server that
 * ignores the JSON-schema response format), or a request refused outright (one that rejects it),
 * is retried once without the response format and with an explicit instruction; then the outline
 * fails with the reason. What the head already shows is kept: the retried outline takes its title
 * and summary from it.
 */
export async function writeOutline(context: FirstPassContext, board: PartsBoard): Promise<OutlineResult> {
  const { job, document } = context;
  const split = board.parts.some((part) => part.parts > 1);
  const shown = shownHead(board.part(HEAD).text);
  board.setState(HEAD, "writing");

  const showHead = (answer: string) => {
    if (shown.title === null) {
      const title = completedStringField(answer, "title");
      if (title?.trim()) {
        shown.title = normalizeTitle(title);
        board.appendText(HEAD, titleLine(shown.title));
      }
    }
    if (shown.title !== null && shown.summary === null) {
      const summary = completedStringField(answer, "summary");
      if (summary?.trim()) {
        shown.summary = summary.trim();
        board.appendText(HEAD, summaryBlock(shown.summary));
      }
    }
  };

  let retryReason: string | undefined;
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    let answer = "";
    const outcome = await runModelStream({
      ...partRequest(context, board, HEAD, "The outline"),
      prompt: outlinePrompt(document.topic, { splitImplementation: split, retryReason }),
      prefix: "",
      signal: job.controller.signal,
      // The retry goes without it: the server may have refused or ignored it.
      output: attempt === 1 ? outlineOutput(split) : undefined,
      continuationInstruction: () => "Your previous answer was cut off (it is the assistant message above). Continue the JSON exactly where it stops, adding nothing else.",
      onText: (delta) => {
        answer += delta;
        showHead(answer);
      },
    });
    if (outcome.status === "cancelled") return { status: "cancelled" };
    if (outcome.status === "failed") {
      if (attempt === 1 && !answer && REFUSED_REQUEST.test(outcome.error)) {
        retryReason = `the request with a JSON-schema response format was refused (${outcome.error.slice(0, 200)}).`;
        continue;
      }
      return { status: "failed", error: `The outline could not be written: ${outcome.error}` };
    }
    const verdict = parseOutline(answer, split);
    if (verdict.ok) {
      // The head readers already see stays: the outline takes its title and summary from it.
      const outline: Outline = { ...verdict.outline, title: shown.title ?? verdict.outline.title, summary: shown.summary ?? verdict.outline.summary };
      if (shown.title === null) board.appendText(HEAD, titleLine(outline.title));
      if (shown.summary === null) board.appendText(HEAD, summaryBlock(outline.summary));
      board.setOutline(outline);
      return { status: "complete", outline };
    }
    if (attempt === 2) {
      return {
        status: "failed",
        error: `The model did not return a valid outline, twice (${verdict.reason}). Retry, or generate the document in single mode: this model may not follow JSON instructions.`,
      };
    }
    retryReason = `it was not a valid outline: ${verdict.reason}.`;
  }
  // Stryker disable next-line all: the loop always returns by its second attempt; this satisfies the type checker.
  return { status: "failed", error: "The outline could not be written." };
}
