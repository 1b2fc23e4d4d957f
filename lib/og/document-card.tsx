import "server-only";
import { ImageResponse } from "next/og";
import type { SectionReport, SectionState } from "@/lib/sections/analyzer";
import { coveredText, OG_FONT_FAMILY, ogFonts } from "./fonts";
import { OG_IMAGE_SIZE } from "./og-image-size";

const STATE_COLOURS: Record<SectionState, { background: string; foreground: string }> = {
  satisfied: { background: "#1a7f37", foreground: "#ffffff" },
  incomplete: { background: "#9a6700", foreground: "#ffffff" },
  missing: { background: "#b3261e", foreground: "#ffffff" },
  writing: { background: "#1f5eff", foreground: "#ffffff" },
  checking: { background: "#1f5eff", foreground: "#ffffff" },
  pending: { background: "#2d333b", foreground: "#adbac7" },
};

function topicFontSize(topic: string): number {
  if (topic.length <= 24) return 76;
  if (topic.length <= 48) return 60;
  return 46;
}

/**
 * The link-preview image of a document: its topic and which of the 12 sections are satisfied.
 * Text the bundled fonts cannot draw is left out (see fonts.ts): a preview never fetches anything.
 */
export function documentCard({
  topic,
  report,
  shared = true,
}: {
  topic: string;
  report: Pick<SectionReport, "satisfied" | "total" | "sections">;
  /** false when reading needs the access token: shared caches must not keep the image. */
  shared?: boolean;
}): ImageResponse {
  const title = coveredText(topic) || "Design document";
  return new ImageResponse(
    (
      <div
        style={{
          width: "100%",
          height: "100%",
          display: "flex",
          flexDirection: "column",
          justifyContent: "space-between",
          padding: "56px 64px",
          background: "#0d1117",
          color: "#e6edf3",
          fontFamily: OG_FONT_FAMILY,
        }}
      >
        <div style={{ display: "flex", fontSize: 30, color: "#9198a1" }}>Design Doc Studio · system design document</div>
        <div style={{ display: "flex", fontSize: topicFontSize(title), fontWeight: 700, lineHeight: 1.15 }}>{title}</div>
        <div style={{ display: "flex", flexDirection: "column", gap: 18 }}>
          <div style={{ display: "flex", fontSize: 34 }}>
            {`${report.satisfied} of ${report.total} mandatory sections satisfied`}
          </div>
          <div style={{ display: "flex", gap: 12 }}>
            {report.sections.map((section) => (
              <div
                key={section.number}
                style={{
                  display: "flex",
                  alignItems: "center",
                  justifyContent: "center",
                  width: 76,
                  height: 64,
                  borderRadius: 10,
                  fontSize: 30,
                  fontWeight: 700,
                  background: STATE_COLOURS[section.state].background,
                  color: STATE_COLOURS[section.state].foreground,
                }}
              >
                {String(section.number)}
              </div>
            ))}
          </div>
        </div>
      </div>
    ),
    {
      ...OG_IMAGE_SIZE,
      fonts: ogFonts(),
      headers: { "Cache-Control": `${shared ? "public" : "private"}, max-age=300` },
    },
  );
}
