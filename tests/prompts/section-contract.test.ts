import { readdirSync, readFileSync } from "node:fs";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { beforeAll, describe, expect, it } from "vitest";
import { getLibrary } from "@/lib/examples/library";
import { loadMasterPrompt } from "@/lib/prompts/master-prompt";
import { type ContractEntry, contractEntries, contractLineFor, documentContract, renderSectionContract, sectionContract } from "@/lib/prompts/section-contract";
import { analyzeSections, type SectionReport } from "@/lib/sections/analyzer";
import { typecheckDocument } from "@/lib/typecheck/check-document";
import { type ContractLine, DOCUMENT_RULES, SECTIONS } from "@/lib/sections/rubric";
import { followerDocument, partsText, readFollowers } from "./contract-followers";

const TOPIC = "Request Hedging";
const followers = readFollowers();

/** The items a line is followed for, with the sub-items of a line that ends with ":". */
function scopeOf(entries: readonly ContractEntry[], index: number): Set<string> {
  const entry = entries[index];
  if (!entry) throw new Error(`no entry ${index}`);
  const scope = new Set(entry.ids);
  if (entry.line.endsWith(":")) {
    for (const sub of entries.slice(index + 1)) {
      if (!sub.nested) break;
      for (const id of sub.ids) scope.add(id);
    }
  }
  return scope;
}

// ---- What "following a line literally" means, read off the line itself ----

function shapeRegex(shape: string): RegExp {
  const pattern = shape
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/<[^>]+>/g, ".+?") // <…> is the writer's to fill
    .replace(/…/g, ".*")
    .replace(/\bN\b/g, "\\d+") // #N, ## N.
    .replace(/-{2,}/g, "-{2,}"); // drawn lines (`+---+`, `-->`) have any length
  return new RegExp(pattern, "m");
}

interface Shapes {
  /** Each group must be matched by one of its alternatives (`a` or `b`). */
  all: RegExp[][];
  /** Examples: at least one must be matched. */
  anyOf: RegExp[];
}

/**
 * A line's literal shapes: text in backticks (written as shown; "`a` or `b`" are
 * alternatives), fences it names (```ts), and quoted sentences with a blank to fill.
 * Quoted phrases without a blank are examples, of which one must appear.
 */
function shapesOf(line: string): Shapes {
  const all: RegExp[][] = [];
  for (const fence of line.matchAll(/```(\w+)/g)) all.push([new RegExp(`^\`\`\`${fence[1]}$`, "m")]);
  const rest = line.replace(/```\w*/g, "");
  const spans = [...rest.matchAll(/`([^`]+)`/g)];
  spans.forEach((span, index) => {
    const previous = spans[index - 1];
    const between = previous ? rest.slice((previous.index ?? 0) + previous[0].length, span.index) : "";
    const regex = shapeRegex(span[1] ?? "");
    if (previous && between === " or ") all[all.length - 1]?.push(regex);
    else all.push([regex]);
  });
  const anyOf: RegExp[] = [];
  for (const quote of rest.replace(/`[^`]+`/g, "").matchAll(/"([^"]+)"/g)) {
    const text = quote[1] ?? "";
    if (/[<…]/.test(text)) all.push([shapeRegex(text)]);
    else anyOf.push(shapeRegex(text));
  }
  return { all, anyOf };
}

function expectFollows(text: string, line: string, where: string) {
  const { all, anyOf } = shapesOf(line);
  expect(text.trim(), `${where}: no text follows "${line}"`).not.toBe("");
  for (const group of all) {
    expect(group.some((regex) => regex.test(text)), `${where}: "${line}" asks for ${group.join(" or ")}`).toBe(true);
  }
  if (anyOf.length > 0) expect(anyOf.some((regex) => regex.test(text)), `${where}: none of the examples of "${line}"`).toBe(true);
}

// ---- Drift: every item the checker requires has a line the model reads ----

type Item = { id: string; required: boolean; contract: ContractLine };

/** Problems that would let an item be checked without the model being told how to meet it. */
function contractProblems(lists: readonly { name: string; items: readonly Item[]; rendered: string }[]): string[] {
  const problems: string[] = [];
  for (const { name, items, rendered } of lists) {
    const entries = contractEntries(items);
    for (const item of items) {
      const line = contractLineFor(items, item.id);
      if (line === null) {
        problems.push(`${name} ${item.id}: no contract line`);
        continue;
      }
      if (!rendered.includes(`- ${line}`)) problems.push(`${name} ${item.id}: its line is not in the rendered block`);
      if (!entries.some((entry) => entry.ids.includes(item.id))) problems.push(`${name} ${item.id}: no entry says it`);
    }
  }
  return problems;
}

const rubricLists = () => [
  { name: "document", items: DOCUMENT_RULES, rendered: documentContract() },
  ...SECTIONS.map((def) => ({ name: `section ${def.number}`, items: def.requirements, rendered: sectionContract(def.number) })),
];

describe("section contract: one source with the checker", () => {
  it("every rubric item (and every document rule) has a contract line, rendered in its own block", () => {
    expect(contractProblems(rubricLists())).toEqual([]);
  });

  it("reports an item without a line, so the check above can fail", () => {
    const broken = SECTIONS[6]!.requirements.map((item) => (item.id === "deadlocks" ? { ...item, contract: { sameAs: "no-such-item" } } : item));
    const blank = SECTIONS[8]!.requirements.map((item) => (item.id === "detection" ? { ...item, contract: " " } : item));
    const loop = [{ id: "a", required: true, contract: { sameAs: "b" } }, { id: "b", required: true, contract: { sameAs: "a" } }];
    expect(
      contractProblems([
        { name: "section 7", items: broken, rendered: sectionContract(7) },
        { name: "section 9", items: blank, rendered: sectionContract(9) },
        { name: "loop", items: loop, rendered: "" },
      ]),
    ).toEqual(["section 7 deadlocks: no contract line", "section 9 detection: no contract line", "loop a: no contract line", "loop b: no contract line"]);
  });

  it("changes the contract prompt's version with any line, and never the seed's", () => {
    const before = { contract: loadMasterPrompt("contract").version, seed: loadMasterPrompt("seed").version };
    const item = SECTIONS[9]!.requirements.find((req) => req.id === "use-instead")!;
    const original = item.contract;
    try {
      (item as { contract: ContractLine }).contract = "Each with a different shape.";
      expect(sectionContract(10)).toContain("  - Each with a different shape.");
      expect(loadMasterPrompt("contract").version).not.toBe(before.contract);
      expect(loadMasterPrompt("seed").version).toBe(before.seed);
    } finally {
      (item as { contract: ContractLine }).contract = original;
    }
    expect(loadMasterPrompt("contract").version).toBe(before.contract);
  });

  it("is rendered in rubric order, one block per section, sub-items indented under the line that ends with ':'", () => {
    const contract = renderSectionContract();
    let from = 0;
    for (const def of SECTIONS) {
      const at = contract.indexOf(`Section ${def.number} — ${def.title}\n`, from);
      expect(at, `section ${def.number}`).toBeGreaterThan(from);
      from = at;
    }
    expect(sectionContract(9)).toMatch(/^- At least three mistakes, each under `### Foot-Gun #N: <mistake>`, with:\n {2}- `\*\*Why engineers do it:\*\*`$/m);
    expect(() => sectionContract(13)).toThrow(RangeError);
  });
});

describe("section contract: following it literally satisfies the checker", () => {
  const document = followerDocument(followers);
  let report: SectionReport;
  // Section 5's "type-checks" item is judged by the real compiler, as on the server.
  beforeAll(async () => {
    const typecheck = await typecheckDocument(document);
    expect(typecheck.status).toBe("checked");
    report = analyzeSections(document, { final: true, topic: TOPIC, typecheck });
  }, 90_000);

  it("the follower document follows every line: each line's literal shapes appear in the text written for it", () => {
    for (const def of SECTIONS) {
      const entries = contractEntries(def.requirements);
      const own = followers.filter((part) => part.section === def.number);
      entries.forEach((entry) => {
        const tags = new Set(entry.ids);
        const text = own
          .flatMap((part) => part.lines)
          .filter((line) => line.tags.some((tag) => tags.has(tag)))
          .map((line) => line.text)
          .join("\n");
        expectFollows(text, entry.line, `section ${def.number}`);
      });
    }
    for (const entry of contractEntries(DOCUMENT_RULES)) expectFollows(document, entry.line.replace("<TOPIC NAME>", TOPIC), "document");
    // Every part is written for a line of its own section (no stray text).
    for (const part of followers) {
      const items = part.section === 0 ? DOCUMENT_RULES : SECTIONS[part.section - 1]!.requirements;
      for (const line of part.lines) for (const tag of line.tags) expect(contractLineFor(items, tag), `${part.section}:${tag}`).not.toBeNull();
    }
  });

  it("satisfies all 12 sections, every item including the advisory ones, and every document rule", () => {
    for (const section of report.sections) {
      const unmet = section.requirements.filter((req) => !req.met).map((req) => `${req.id}: ${req.reason}`);
      expect(unmet, `section ${section.number}`).toEqual([]);
      expect(section.state).toBe("satisfied");
    }
    expect(report.satisfied).toBe(12);
    expect(report.rules.filter((rule) => !rule.met).map((rule) => rule.id)).toEqual([]);
  });

  it("has the complete section 5 module the contract asks for (80+ lines)", () => {
    const code = /```ts\n([\s\S]*?)\n```/.exec(partsText(followers.filter((part) => part.section === 5)))?.[1] ?? "";
    expect(code.split("\n").filter((line) => line.trim() !== "").length).toBeGreaterThanOrEqual(80);
  });

  describe.each(SECTIONS.map((def) => [def.number, def] as const))("section %i: each line is what meets its items", (number, def) => {
    const entries = contractEntries(def.requirements);
    it.each(entries.map((entry, index) => [entry.ids.join(", "), index] as const))("without the text for %s, those items are unmet", (_ids, index) => {
      const dropped = scopeOf(entries, index);
      const without = analyzeSections(followerDocument(followers, { section: number, dropped }), { final: true, topic: TOPIC });
      const section = without.sections[number - 1]!;
      for (const id of entries[index]!.ids) {
        expect(section.requirements.find((req) => req.id === id)?.met, `${id} still met without its line's text`).toBe(false);
      }
      // The other sections do not depend on this section's text (section 5 waits for a type check of the changed text).
      const others = without.sections.filter((other) => other.number !== number);
      expect(others.every((other) => other.state === "satisfied" || (other.number === 5 && other.state === "checking"))).toBe(true);
    });
  });
});

describe("section contract: the checker is unchanged", () => {
  const fixtureDir = new URL("../fixtures/sections/", import.meta.url);
  const fixtures = readdirSync(fixtureDir)
    .filter((name) => name.endsWith(".md"))
    .map((name) => [name, readFileSync(new URL(name, fixtureDir), "utf8")] as const);

  it("still judges the real-model-like deficient fixtures incomplete", () => {
    const bullets = analyzeSections(readFileSync(new URL("bullets-only.md", fixtureDir), "utf8"), { final: true });
    expect(bullets.satisfied).toBe(0);
    expect(bullets.sections.map((section) => section.state)).toEqual(Array(12).fill("incomplete"));
    const quirks = analyzeSections(readFileSync(new URL("model-quirks.md", fixtureDir), "utf8"), { final: true, topic: "Distributed Locks" });
    expect(quirks.satisfied).toBe(4);
    expect(quirks.sections.slice(4).map((section) => section.state)).toEqual(["incomplete", ...Array(7).fill("missing")]);
  });

  it("gives the same reports whatever the contract lines say (the contract changes the prompt, not the checker)", () => {
    const documents = [...fixtures, ...getLibrary().map((example) => [example.slug, example.markdown] as const), ["followers", followerDocument(followers)] as const];
    const before = documents.map(([, text]) => analyzeSections(text, { final: true }));
    const saved = SECTIONS.map((def) => def.requirements.map((req) => req.contract));
    try {
      for (const def of SECTIONS) for (const req of def.requirements) (req as { contract: ContractLine }).contract = "";
      const after = documents.map(([, text]) => analyzeSections(text, { final: true }));
      expect(after).toEqual(before);
    } finally {
      SECTIONS.forEach((def, s) => def.requirements.forEach((req, r) => ((req as { contract: ContractLine }).contract = saved[s]![r]!)));
    }
    expect(contractProblems(rubricLists())).toEqual([]);
  });
});

describe("section contract: size", () => {
  // o200k_base is the tokenizer of GPT-4o / GPT-4.1, the default model.
  const contractTokens = countTokens(renderSectionContract());
  const seedTokens = countTokens(loadMasterPrompt("seed").template);

  it("stays under 1,300 tokens", () => {
    // 1,300: the contract is paid as input once per request (and again per continuation). At
    // ~1,200 tokens it is ~1.25x the seed prompt and ~13% of a 9,000-token first pass, billed at
    // input rates (a quarter of output rates for GPT-4.1), so ~3% of a first pass's cost, against
    // ~3x the first pass to repair every section. The bound leaves ~100 tokens for the items to come
    // (a type-check line for section 5 is ~20); past it, shorten lines before adding new ones.
    console.info(`section contract: ${contractTokens} tokens (o200k_base); seed prompt: ${seedTokens} tokens`);
    expect(contractTokens).toBeLessThanOrEqual(1_300);
    expect(contractTokens).toBeGreaterThan(500); // it says something for every section
  });

  it("keeps every section's block small enough to send alone", () => {
    // 170: section 5 carries the most checked items (nine, with the type check); the others stay well under.
    for (const def of SECTIONS) expect(countTokens(sectionContract(def.number)), `section ${def.number}`).toBeLessThanOrEqual(170);
  });
});
