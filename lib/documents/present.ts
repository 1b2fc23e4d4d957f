import type { CreateDocumentResult } from "./create-document";
import { documentPath } from "./paths";
import type { ParallelProgress } from "./section-parts";
import type { DesignDocument } from "./types";

/** Each part's state without its text (the text is in `markdown`, and streams as section events). */
function presentParts(parallel: ParallelProgress | null) {
  if (!parallel) return null;
  return parallel.parts.map(({ section, part, parts, state, error, continuations, inputTokens, outputTokens, text }) => ({
    section,
    part,
    parts,
    state,
    error,
    continuations,
    inputTokens,
    outputTokens,
    length: text.length,
  }));
}

/** The public JSON of a document (GET /api/documents/{id}); internal keys stay on the server. */
export function presentDocument(document: DesignDocument) {
  return {
    id: document.id,
    url: documentPath(document.id),
    topic: document.topic,
    status: document.status,
    markdown: document.markdown,
    model: document.model,
    promptStyle: document.promptStyle,
    promptVersion: document.promptVersion,
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    error: document.error,
    continuations: document.continuations,
    /** The instance running its generation (for operators and cluster tests); null while none runs. */
    instance: document.instance,
    tokensUsed: document.tokensUsed,
    inputTokens: document.inputTokens,
    outputTokens: document.outputTokens,
    mode: document.mode,
    /** Parallel mode: the outline (null until it is written) and each part's state. */
    outline: document.parallel?.outline ?? null,
    parts: presentParts(document.parallel),
    satisfied: document.report?.satisfied ?? null,
    sections: document.report?.sections ?? null,
    rules: document.report?.rules ?? null,
    /** The type check of the code blocks the final report was built with (badges in the preview). */
    typecheck: document.report?.typecheck ?? null,
    /** The version `markdown` is (1: the first pass); GET …/versions lists them all. */
    version: document.version,
    /** The version the event stream's `text` channel carries (the text the last job started from or wrote). */
    passVersion: document.passVersion,
    /** The latest repair: its rounds, each section's outcome and why (null: never repaired). */
    repair: document.repair,
  };
}

export type PublicDocument = ReturnType<typeof presentDocument>;

/** The answer to POST /api/documents. */
export function presentCreation(result: CreateDocumentResult) {
  const { document } = result;
  return {
    id: document.id,
    url: documentPath(document.id),
    status: document.status,
    model: document.model,
    mode: document.mode,
    coalesced: result.outcome === "coalesced",
    alreadyGenerated: result.outcome === "already_generated",
    // Only the request that created the document gets the token that lets it change the document.
    ...(result.outcome === "created" ? { editToken: result.editToken } : {}),
  };
}

export type PublicCreation = ReturnType<typeof presentCreation>;
