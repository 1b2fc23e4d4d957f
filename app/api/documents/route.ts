import { createDocument, createDocumentSchema } from "@/lib/documents/create-document";
import { documentUrl } from "@/lib/documents/present";
import { requireWriteAccess } from "@/lib/http/access";
import { ApiError, withApiErrors } from "@/lib/http/api-error";
import { clientKey } from "@/lib/http/client-key";
import { readJsonBody } from "@/lib/http/read-json";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const POST = withApiErrors(async (request: Request) => {
  const studio = await getStudio();
  requireWriteAccess(request, studio.config);
  const parsed = createDocumentSchema.safeParse(await readJsonBody(request, studio.config.maxBodyBytes));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    const code = field === "model" ? "invalid_model" : field === "topic" || issue?.code === "invalid_type" ? "invalid_topic" : "invalid_request";
    const message = issue?.code === "invalid_type" && field === "topic" ? 'Send {"topic": "…"} with the topic as a string.' : (issue?.message ?? "Invalid request.");
    throw new ApiError(400, code, message);
  }
  const result = await createDocument(studio, parsed.data, clientKey(request, studio.config));
  const { document } = result;
  return Response.json(
    {
      id: document.id,
      url: documentUrl(document.id),
      status: document.status,
      model: document.model,
      coalesced: result.outcome === "coalesced",
      alreadyGenerated: result.outcome === "already_generated",
    },
    { status: result.outcome === "created" ? 201 : 200 },
  );
});
