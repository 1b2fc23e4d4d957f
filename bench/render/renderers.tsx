/**
 * The three renderers under test, with identical inputs.
 * (a) naive: one <Markdown> over the whole text, same plugins/options as ours.
 * (b) streamdown: <Streamdown> with its defaults (v2 does NOT highlight code
 *     by default — highlighting needs the separate @streamdown/code plugin).
 * (c) ours: <MarkdownPreview>.
 */
import Markdown from "react-markdown";
import { Streamdown } from "streamdown";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { markdownOptions } from "@/components/markdown/markdown-options";
import type { RendererName } from "./renderer-names";


export function BenchRenderer({ name, text, streaming }: { name: RendererName; text: string; streaming: boolean }) {
  switch (name) {
    case "naive":
      return (
        <div className="md-preview" data-testid="markdown-preview">
          <Markdown {...markdownOptions}>{text}</Markdown>
        </div>
      );
    case "streamdown":
      return <Streamdown isAnimating={streaming}>{text}</Streamdown>;
    case "ours":
      return <MarkdownPreview markdown={text} streaming={streaming} />;
  }
}
