import { findExampleBySlug } from "@/lib/examples/library";
import { withApiErrors } from "@/lib/http/error-response";
import { HttpError } from "@/lib/http/http-error";
import { documentCard } from "@/lib/og/document-card";
import { analyzeSections } from "@/lib/sections/analyzer";

export const GET = withApiErrors(async (_request: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const example = findExampleBySlug((await params).slug);
  if (!example) throw new HttpError(404, "not_found", "No example with this name.");
  return documentCard({ topic: example.topic, report: analyzeSections(example.markdown, { final: true }) });
});
