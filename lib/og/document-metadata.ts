import type { Metadata } from "next";
import { firstParagraphText } from "@/lib/markdown/first-paragraph";
import { OG_IMAGE_SIZE } from "./og-image-size";

const SITE_NAME = "Design Doc Studio";

/**
 * Link-preview metadata of a readable document: og:title, og:description (its first paragraph as
 * plain text), og:type=article, twitter:card and the generated image, with absolute URLs built on
 * the public origin. Callers only ask for it when the document is public (not under PRIVATE_READS).
 */
export function documentMetadata({
  topic,
  markdown,
  path,
  imagePath,
  origin,
  satisfied,
}: {
  topic: string;
  markdown: string;
  path: string;
  imagePath: string;
  origin: string;
  satisfied: { count: number; total: number };
}): Metadata {
  const description = firstParagraphText(markdown) ?? undefined;
  const image = { url: imagePath, ...OG_IMAGE_SIZE, alt: `${topic}: ${satisfied.count} of ${satisfied.total} mandatory sections satisfied` };
  return {
    metadataBase: new URL(origin),
    title: `${topic} — ${SITE_NAME}`,
    description,
    openGraph: { type: "article", siteName: SITE_NAME, title: topic, description, url: path, images: [image] },
    twitter: { card: "summary_large_image", title: topic, description, images: [image] },
  };
}
