import { z } from "zod";
import { GENERATION_MODES } from "./generation-mode";
import { DocumentError, type DocumentErrorCode } from "./document-error";
import { topicSchema } from "./topic";

/** The body of POST /api/documents. */
const createDocumentSchema = z.object({
  topic: topicSchema,
  model: z.string({ error: "model must be a string" }).trim().min(1, "model is empty").max(200).optional(),
  /** Generate again even if this exact document was already generated. */
  fresh: z.boolean({ error: "fresh must be true or false" }).optional(),
  /** How the document is written; GENERATION_MODE when absent. */
  mode: z.enum(GENERATION_MODES, { error: `mode must be ${GENERATION_MODES.map((mode) => `"${mode}"`).join(" or ")}` }).optional(),
});

export type CreateDocumentInput = z.output<typeof createDocumentSchema>;

/** Validates a create request, turning the first problem into the refusal a client can act on. */
export function parseCreateDocumentInput(body: unknown): CreateDocumentInput {
  const parsed = createDocumentSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  // Stryker disable next-line all: zod reports at least one issue, with a message, on every failure
  const issue = parsed.error.issues[0] ?? { code: "custom", path: [], message: "Invalid request.", input: body };
  const field = issue.path[0];
  const code: DocumentErrorCode =
    field === "model" ? "invalid_model" : field === "mode" ? "invalid_mode" : field === "topic" || field === undefined ? "invalid_topic" : "invalid_request";
  const message = issue.code === "invalid_type" && field === "topic" ? 'Send {"topic": "…"} with the topic as a string.' : issue.message;
  throw new DocumentError(code, message);
}
