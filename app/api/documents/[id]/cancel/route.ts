import { cancelDocument } from "@/lib/documents/cancel-document";
import { presentDocument } from "@/lib/documents/present";
import { documentActionRoute } from "@/lib/http/document-action-route";

export const dynamic = "force-dynamic";

/** Stops the job (aborting the upstream model request) and answers with the stored result. Idempotent. */
export const POST = documentActionRoute(async (studio, id, requester) => Response.json(presentDocument(await cancelDocument(studio, id, requester))));
