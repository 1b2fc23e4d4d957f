import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fillMasterPrompt, loadMasterPrompt } from "@/lib/prompts/master-prompt";

describe("master prompt", () => {
  const prompt = loadMasterPrompt();

  it("ships the user's master prompt without the human-facing usage notes", () => {
    // The user's seed prompt, copied once into the repository (the app never reads outside it).
    const seed = readFileSync(path.join(process.cwd(), "tests", "fixtures", "seed", "master-prompt.txt"), "utf8");
    expect(seed.startsWith(prompt.template.trimEnd())).toBe(true);
    expect(prompt.template).toContain("Begin generating the Markdown document now.");
    expect(prompt.template).not.toMatch(/^Usage$/m);
  });

  it("fills every topic placeholder, literally", () => {
    const filled = fillMasterPrompt(prompt.template, "Cache $& Stampede (N+1)");
    expect(filled).toContain("TOPIC: Cache $& Stampede (N+1)");
    expect(filled).not.toContain("<INSERT_TOPIC_NAME_HERE>");
    expect(filled).not.toContain("<TOPIC NAME>");
    expect(filled.split("Cache $& Stampede (N+1)").length - 1).toBe(2);
  });

  it("has a version that is stable for the same text and changes with it", () => {
    expect(loadMasterPrompt().version).toBe(prompt.version);
    const directory = mkdtempSync(path.join(tmpdir(), "prompt-"));
    const edited = path.join(directory, "prompt.txt");
    writeFileSync(edited, `${prompt.template}\nOne more rule.`);
    expect(loadMasterPrompt(edited).version).not.toBe(prompt.version);
    const broken = path.join(directory, "broken.txt");
    writeFileSync(broken, "no placeholder here");
    expect(() => loadMasterPrompt(broken)).toThrow(/placeholder/);
  });
});
