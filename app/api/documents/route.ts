import { createDocument } from "@/lib/documents/create-document";
import { parseCreateDocumentInput } from "@/lib/documents/create-document-input";
import { presentCreation } from "@/lib/documents/present";
import { requireWriteAccess } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/error-response";
import { readJsonBody } from "@/lib/http/read-json";
import { requesterFor } from "@/lib/http/requester";
import { requireSameOrigin } from "@/lib/http/same-origin";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const POST = withApiErrors(async (request: Request) => {
  const studio = await getStudio();
  requireSameOrigin(request, studio.config);
  requireWriteAccess(request, studio.config);
  const input = parseCreateDocumentInput(await readJsonBody(request, studio.config.maxBodyBytes));
  const result = await createDocument(studio, input, requesterFor(request, studio.config));
  return Response.json(presentCreation(result), { status: result.outcome === "created" ? 201 : 200 });
});
