/**
 * Reads tests/fixtures/contract/followers.md: a document written by following the section
 * contract literally, split into parts, each tagged with the rubric item whose contract line
 * it follows. Not a test file itself.
 */
import { readFileSync } from "node:fs";
import { SECTIONS } from "@/lib/sections/rubric";

export interface FollowerLine {
  text: string;
  /** The items whose contract lines this line follows. */
  tags: string[];
}

export interface FollowerPart {
  /** 0 for the whole-document lines, else the section number. */
  section: number;
  id: string;
  lines: FollowerLine[];
}

const FILE = new URL("../fixtures/contract/followers.md", import.meta.url);

export function readFollowers(): FollowerPart[] {
  const source = readFileSync(FILE, "utf8").replace(/^<!--[\s\S]*?-->\n/, "");
  const parts: FollowerPart[] = [];
  let section = -1;
  for (const raw of source.split("\n")) {
    const marker = /^<!-- (document|section (\d+)|part ([a-z0-9-]+)) -->$/.exec(raw);
    if (marker) {
      if (marker[1] === "document") section = 0;
      else if (marker[2] !== undefined) section = Number(marker[2]);
      else parts.push({ section, id: marker[3] ?? "", lines: [] });
      continue;
    }
    const part = parts[parts.length - 1];
    if (!part) {
      if (raw.trim() !== "") throw new Error(`text outside a part: ${raw}`);
      continue;
    }
    const tagged = /^«([a-z0-9,-]+)»(.*)$/.exec(raw);
    part.lines.push(tagged ? { text: tagged[2] ?? "", tags: (tagged[1] ?? "").split(",") } : { text: raw, tags: [part.id] });
  }
  for (const part of parts) {
    while (part.lines.length > 0 && part.lines[part.lines.length - 1]?.text.trim() === "") part.lines.pop();
  }
  return parts;
}

/** Text of the lines of `parts` that follow none of the `dropped` items' lines. */
export function partsText(parts: readonly FollowerPart[], dropped: ReadonlySet<string> = new Set()): string {
  return parts
    .map((part) => part.lines.filter((line) => !line.tags.some((tag) => dropped.has(tag))).map((line) => line.text).join("\n"))
    .filter((text) => text.trim() !== "")
    .join("\n\n");
}

/**
 * The whole follower document: its title, then each section under a `## N. Title` heading
 * (the contract's own heading shape). In `section`, the lines following `dropped` items are left out.
 */
export function followerDocument(parts: readonly FollowerPart[], drop?: { section: number; dropped: ReadonlySet<string> }): string {
  const blocks = [partsText(parts.filter((part) => part.section === 0), drop?.section === 0 ? drop.dropped : undefined)];
  for (const def of SECTIONS) {
    const own = parts.filter((part) => part.section === def.number);
    blocks.push(`## ${def.number}. ${def.title}\n\n${partsText(own, drop?.section === def.number ? drop.dropped : undefined)}`);
  }
  return `${blocks.join("\n\n")}\n`;
}
