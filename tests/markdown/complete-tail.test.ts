import { describe, expect, it } from "vitest";
import { completeTail } from "@/lib/markdown/complete-tail";

describe("completeTail", () => {
  it.each([
    ["closes an unclosed fence", "```ts\nconst a", "```ts\nconst a\n```\n"],
    ["closes a fence whose body ends with a newline", "```ts\nconst a\n", "```ts\nconst a\n```\n"],
    ["drops a half-written closer", "```ts\nconst a\n``", "```ts\nconst a\n```\n"],
    ["closes longer and tilde fences with the same run", "~~~~\nx", "~~~~\nx\n~~~~\n"],
    ["leaves a closed fence alone", "```\nx\n```", "```\nx\n```"],
    ["does not touch markers inside an open fence", "```\nlet a = **b", "```\nlet a = **b\n```\n"],
    ["closes strong emphasis", "Some **bold", "Some **bold**"],
    ["closes before trailing whitespace", "Some **bold ", "Some **bold** "],
    ["closes emphasis", "an *idea", "an *idea*"],
    ["closes underscore emphasis", "an _idea", "an _idea_"],
    ["ignores intraword underscores", "snake_case_name", "snake_case_name"],
    ["closes inline code", "call `foo(", "call `foo(`"],
    ["does not treat markers inside inline code as emphasis", "run `a * b", "run `a * b`"],
    ["closes strikethrough", "~~old", "~~old~~"],
    ["closes nested emphasis in order", "**a *b", "**a *b***"],
    ["drops a dangling marker with no content yet", "text **", "text "],
    ["drops a dangling backtick", "text `", "text "],
    ["keeps balanced markup", "**a** and *b* and `c`", "**a** and *b* and `c`"],
    ["keeps a list marker that is not emphasis", "* item", "* item"],
    ["keeps a thematic break", "***", "***"],
    ["hides a half-written link URL", "see [docs](https://exa", "see docs"],
    ["hides an unclosed link text", "see [do", "see do"],
    ["hides link text waiting for its URL", "see [docs]", "see docs"],
    ["hides a partial image", "look ![diagram](http://x", "look "],
    ["keeps task list boxes", "- [ ]", "- [ ]"],
    ["keeps index expressions", "array[0", "array[0"],
    ["holds back a table header without delimiter row", "Intro\n\n| a | b |", "Intro\n\n"],
    ["holds back a header followed by a newline", "Intro\n\n| a | b |\n", "Intro\n\n"],
    ["holds back a partial delimiter row", "Intro\n\n| a | b | c |\n|---|--", "Intro\n\n"],
    ["renders a table once the delimiter row matches", "| a | b |\n|---|--", "| a | b |\n|---|--"],
    ["keeps body rows of a formed table", "| a | b |\n|---|---|\n| 1 |", "| a | b |\n|---|---|\n| 1 |"],
    ["holds back a partial setext underline", "Para\n-", "Para\n"],
    ["holds back a partial fence opener", "text\n\n``", "text\n\n"],
    ["completes only the last line", "**a\nb *c", "**a\nb *c*"],
    ["leaves indented code alone", "para\n\n    let x = *y", "para\n\n    let x = *y"],
  ])("%s", (_label, input, expected) => {
    expect(completeTail(input)).toBe(expected);
  });
});
