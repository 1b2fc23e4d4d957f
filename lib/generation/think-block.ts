import "server-only";
/**
 * Separates the reasoning that some OpenAI-compatible servers put in `content` (DeepSeek-R1,
 * Qwen3 or QwQ without a reasoning parser) from the answer: a `<think>…</think>` block at the
 * start of a response. Reasoning never enters the document, but it is progress.
 *
 * Only a block that opens the response (after optional whitespace) is reasoning: that is where
 * every such server puts it, and a design document may well mention `<think>` in its text.
 * Tags split across chunks and blank lines inside the block are handled; the one or two newlines
 * that separate the block from the answer are dropped.
 */
const OPEN = "<think>";
const CLOSE = "</think>";
const MAX_SEPARATOR_NEWLINES = 2;

export interface SeparatedText {
  /** Document text. */
  text: string;
  /** Reasoning (only its length matters to the caller: it is progress). */
  reasoning: string;
}

type State = "start" | "thinking" | "separator" | "answer";

export class LeadingThinkBlock {
  private state: State = "start";
  private buffer = "";
  private separatorNewlines = 0;

  push(delta: string): SeparatedText {
    if (this.state === "answer") return { text: delta, reasoning: "" };
    this.buffer += delta;
    return this.advance();
  }

  /** The response ended: held text is what it is (an unclosed block is all reasoning). */
  flush(): SeparatedText {
    const held = this.buffer;
    this.buffer = "";
    if (this.state === "thinking") return { text: "", reasoning: held };
    this.state = "answer";
    return { text: held, reasoning: "" };
  }

  private advance(): SeparatedText {
    let reasoning = "";
    if (this.state === "start") {
      const trimmed = this.buffer.trimStart();
      if (trimmed.length < OPEN.length && OPEN.startsWith(trimmed)) return { text: "", reasoning: "" }; // maybe a tag, maybe not yet
      if (!trimmed.startsWith(OPEN)) return this.answer(this.buffer);
      this.state = "thinking";
      this.buffer = trimmed.slice(OPEN.length);
    }
    if (this.state === "thinking") {
      const close = this.buffer.indexOf(CLOSE);
      if (close < 0) {
        // Keep what could be the start of "</think>"; the rest is reasoning already.
        const keep = partialSuffixLength(this.buffer, CLOSE);
        reasoning = this.buffer.slice(0, this.buffer.length - keep);
        this.buffer = this.buffer.slice(this.buffer.length - keep);
        return { text: "", reasoning };
      }
      reasoning = this.buffer.slice(0, close);
      this.buffer = this.buffer.slice(close + CLOSE.length);
      // Stryker disable next-line StringLiteral: any state but start, thinking and answer separates.
      this.state = "separator";
    }
    // state "separator": drop up to two newlines between the block and the answer
    let index = 0;
    // Past the buffer's end nothing is a newline: the loop stops there too.
    while (this.separatorNewlines < MAX_SEPARATOR_NEWLINES) {
      if (this.buffer.startsWith("\r\n", index)) index += 2;
      else if (this.buffer[index] === "\n") index += 1;
      else break;
      this.separatorNewlines += 1;
    }
    const rest = this.buffer.slice(index);
    if (!rest || rest === "\r") {
      // Still separating: the next text may start with the second newline, or finish a "\r\n" (past two, the loop drops none).
      this.buffer = rest;
      return { text: "", reasoning };
    }
    return { ...this.answer(rest), reasoning };
  }

  private answer(text: string): SeparatedText {
    this.state = "answer";
    this.buffer = "";
    return { text, reasoning: "" };
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffixLength(text: string, tag: string): number {
  // Stryker disable next-line all: a longer start only re-tests the whole text (slice clamps), and length 0 returns 0 either way.
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
