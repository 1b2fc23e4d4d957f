import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fillMasterPrompt, loadMasterPrompt } from "@/lib/prompts/master-prompt";
import { renderSectionContract } from "@/lib/prompts/section-contract";

describe("master prompt", () => {
  const seed = loadMasterPrompt("seed");
  const contract = loadMasterPrompt("contract");

  it("ships the user's master prompt without the human-facing usage notes", () => {
    // The user's seed prompt, copied once into the repository (the app never reads outside it).
    const original = readFileSync(path.join(process.cwd(), "tests", "fixtures", "seed", "master-prompt.txt"), "utf8");
    expect(original.startsWith(seed.template.trimEnd())).toBe(true);
    expect(seed.template).toContain("Begin generating the Markdown document now.");
    expect(seed.template).not.toMatch(/^Usage$/m);
  });

  it("contract style (the default) is the seed verbatim, then the section contract, and nothing else", () => {
    expect(loadMasterPrompt().style).toBe("contract");
    expect(loadMasterPrompt().template).toBe(contract.template);
    expect(contract.template.startsWith(seed.template.trimEnd())).toBe(true);
    expect(contract.template).toBe(`${seed.template.trimEnd()}\n\n${renderSectionContract()}\n`);
    expect(seed.template).not.toContain("SECTION CONTRACT");
  });

  it("fills every topic placeholder, literally, in the seed and in the contract", () => {
    const filled = fillMasterPrompt(contract.template, "Cache $& Stampede (N+1)");
    expect(filled).toContain("TOPIC: Cache $& Stampede (N+1)");
    expect(filled).not.toContain("<INSERT_TOPIC_NAME_HERE>");
    expect(filled).not.toContain("<TOPIC NAME>");
    // The seed's two placeholders, and the contract's title line.
    expect(filled.split("Cache $& Stampede (N+1)").length - 1).toBe(3);
    expect(filled).toContain("`# Cache $& Stampede (N+1)`");
  });

  it("has a version per style that is stable for the same text and changes with it", () => {
    expect(loadMasterPrompt("seed").version).toBe(seed.version);
    expect(loadMasterPrompt("contract").version).toBe(contract.version);
    expect(contract.version).toMatch(/^mp-[0-9a-f]{12}$/);
    expect(contract.version).not.toBe(seed.version);
    const directory = mkdtempSync(path.join(tmpdir(), "prompt-"));
    const edited = path.join(directory, "prompt.txt");
    writeFileSync(edited, `${seed.template}\nOne more rule.`);
    expect(loadMasterPrompt("seed", edited).version).not.toBe(seed.version);
    expect(loadMasterPrompt("contract", edited).version).not.toBe(contract.version);
    const broken = path.join(directory, "broken.txt");
    writeFileSync(broken, "no placeholder here");
    expect(() => loadMasterPrompt("seed", broken)).toThrow(/placeholder/);
  });
});
