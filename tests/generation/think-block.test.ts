import { describe, expect, it } from "vitest";
import { LeadingThinkBlock } from "@/lib/generation/think-block";

/** Feeds the response in chunks of `size` and returns what became document text and reasoning. */
function separate(response: string, size: number) {
  const block = new LeadingThinkBlock();
  let text = "";
  let reasoning = "";
  for (let index = 0; index < response.length; index += size) {
    const part = block.push(response.slice(index, index + size));
    text += part.text;
    reasoning += part.reasoning;
  }
  const rest = block.flush();
  return { text: text + rest.text, reasoning: reasoning + rest.reasoning };
}

const THOUGHT = "The user wants a design doc.\n\nFirst, the real problem.\n\n\nThen the approaches </thin not yet.";
const ANSWER = "# Circuit Breaker\n\n## 1. The Real Problem\n\nText with `<think>` mentioned in it.\n";

describe("a leading <think> block", () => {
  it.each([1, 2, 3, 5, 7, 8, 13, 1000])("is removed from the text even when its tags are split across chunks of %i, blank lines inside", (size) => {
    const result = separate(`<think>\n${THOUGHT}\n</think>\n\n${ANSWER}`, size);
    expect(result.text).toBe(ANSWER);
    expect(result.reasoning).toBe(`\n${THOUGHT}\n`);
  });

  it("is removed after leading whitespace, with one newline as separator", () => {
    expect(separate(`\n  <think>plan</think>\n${ANSWER}`, 4)).toEqual({ text: ANSWER, reasoning: "plan" });
    expect(separate(`<think>plan</think>${ANSWER}`, 4)).toEqual({ text: ANSWER, reasoning: "plan" });
  });

  it("keeps a third newline: only the separator goes", () => {
    expect(separate(`<think>plan</think>\n\n\n${ANSWER}`, 3).text).toBe(`\n${ANSWER}`);
  });

  it("leaves text that does not start with a block alone, <think> mentions included", () => {
    expect(separate(ANSWER, 3)).toEqual({ text: ANSWER, reasoning: "" });
    expect(separate(`Intro <think>not reasoning</think> more`, 2).text).toBe("Intro <think>not reasoning</think> more");
    expect(separate("<thinking>is not the tag", 2).text).toBe("<thinking>is not the tag");
    expect(separate("  \n# Title", 1).text).toBe("  \n# Title");
    expect(separate("<thi", 1).text).toBe("<thi");
  });

  it("treats an unclosed block as reasoning only: nothing enters the document", () => {
    expect(separate("<think>still thinking when the stream ended", 5)).toEqual({ text: "", reasoning: "still thinking when the stream ended" });
  });

  it("reports reasoning as it arrives, not only when the block closes (it is progress)", () => {
    const block = new LeadingThinkBlock();
    expect(block.push("<think>first thoughts").reasoning).toBe("first thoughts");
    expect(block.push(" and more </th").reasoning).toBe(" and more ");
    expect(block.push("ink>\n\nAnswer")).toEqual({ text: "Answer", reasoning: "" });
  });
});

describe("a leading <think> block: edges", () => {
  it("hands on text that cannot begin a tag at once, and holds only what could", () => {
    expect(new LeadingThinkBlock().push("# T")).toEqual({ text: "# T", reasoning: "" });
    expect(new LeadingThinkBlock().push(" <th")).toEqual({ text: "", reasoning: "" });
  });

  it("takes a whole opening tag alone for the start of a block", () => {
    expect(separate("<think>", 7)).toEqual({ text: "", reasoning: "" });
    expect(separate("<think>", 1000)).toEqual({ text: "", reasoning: "" });
  });

  it("drops a Windows separator, and keeps a third newline that arrives with the first two", () => {
    expect(separate(`<think>plan</think>\r\n\r\n${ANSWER}`, 1000)).toEqual({ text: ANSWER, reasoning: "plan" });
    expect(separate(`<think>plan</think>\r\n${ANSWER}`, 2)).toEqual({ text: ANSWER, reasoning: "plan" });
    expect(separate(`<think>plan</think>\n\n\n${ANSWER}`, 1000).text).toBe(`\n${ANSWER}`);
  });

  it("keeps an unclosed block's held end as reasoning, and flushes once", () => {
    const block = new LeadingThinkBlock();
    expect(block.push("<think>almost done </thi")).toEqual({ text: "", reasoning: "almost done " });
    expect(block.flush()).toEqual({ text: "", reasoning: "</thi" });
    expect(block.flush()).toEqual({ text: "", reasoning: "" });
  });

  it("takes everything after a flush for text, newlines included", () => {
    const block = new LeadingThinkBlock();
    block.push("<thi");
    expect(block.flush()).toEqual({ text: "<thi", reasoning: "" });
    expect(block.push("\n\nmore")).toEqual({ text: "\n\nmore", reasoning: "" });
    expect(block.flush()).toEqual({ text: "", reasoning: "" });
  });
});
