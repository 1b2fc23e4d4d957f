/**
 * Scripted answers to the app's section-repair requests (issue #9), kept apart from the generic
 * server so the server's own scenarios can evolve separately: server.ts only asks `answer()`
 * whether a request is a repair request and what to do with it.
 *
 * A repair request is recognised by its `SECTION TO REWRITE: N. Title` line. By default it is
 * answered with section N of the scenario's document as it is (a model that changes nothing, so
 * the app keeps the original). A script (`scenario.repair`) says, per section, what each attempt
 * gets:
 *   fix            section N of `source` / `sourceByTopic` (the real document)
 *   same           the section's current text, as the request quotes it
 *   worse          the heading and one vague sentence (meets less: must be rejected)
 *   other-headings the fix followed by the next section's heading (must be refused)
 *   chatter        the fix wrapped in a preamble, a ```markdown fence and a sign-off (must be cut)
 *   http-500       an OpenAI-style 500 before streaming (the app retries it like any request)
 *   stall          `stallAtChar` characters of the fix, then silence (the app's idle timeout fires)
 *   reset          `stallAtChar` characters of the fix, then the connection is destroyed
 * Attempts are counted per document and section; the last action of a list repeats.
 */
import type { ChatMessage } from "./server";

export type RepairAction = "fix" | "same" | "worse" | "other-headings" | "chatter" | "http-500" | "stall" | "reset";
const ACTIONS: readonly RepairAction[] = ["fix", "same", "worse", "other-headings", "chatter", "http-500", "stall", "reset"];

export interface RepairScript {
  /** Where `fix` takes section N from (default: the scenario's document). */
  source?: string;
  /** Topic (case-insensitive substring, as documentsByTopic) → that topic's source. */
  sourceByTopic?: Record<string, string>;
  /** Section number ("1".."12") → the action of each attempt (default ["fix"]). */
  actions?: Record<string, RepairAction[]>;
  /** Where `stall` and `reset` cut the answer (default 0). */
  stallAtChar?: number;
  /** Pace of repair answers (default: the scenario's chunkSize and delayMs). */
  chunkSize?: number;
  delayMs?: number;
}

export interface RepairAnswer {
  section: number;
  attempt: number;
  action: RepairAction;
  /** The text to stream (empty for http-500). */
  text: string;
  /** A fault for this response only. */
  fault: { kind: "stall" | "reset"; at: number } | null;
}

const MARKER = /^SECTION TO REWRITE:\s*(\d{1,2})\b/m;
const QUOTED = /<<<SECTION\n([\s\S]*?)\nSECTION>>>/;

/** Validates a `repair` scenario field coming from tests or from HTTP JSON. */
export function validateRepairScript(value: unknown): RepairScript | null {
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) throw new Error("repair must be an object or null");
  const script = value as Record<string, unknown>;
  const out: RepairScript = {};
  for (const [key, field] of Object.entries(script)) {
    if (field === undefined) continue;
    if (key === "source") {
      if (typeof field !== "string") throw new Error("repair.source must be a string");
      out.source = field;
    } else if (key === "sourceByTopic") {
      if (!field || typeof field !== "object" || Array.isArray(field)) throw new Error("repair.sourceByTopic must be an object of topic -> markdown");
      for (const text of Object.values(field)) if (typeof text !== "string") throw new Error("repair.sourceByTopic values must be strings");
      out.sourceByTopic = { ...(field as Record<string, string>) };
    } else if (key === "actions") {
      if (!field || typeof field !== "object" || Array.isArray(field)) throw new Error("repair.actions must be an object of section -> actions");
      const actions: Record<string, RepairAction[]> = {};
      for (const [section, list] of Object.entries(field as Record<string, unknown>)) {
        if (!/^(?:[1-9]|1[0-2])$/.test(section)) throw new Error(`repair.actions key ${JSON.stringify(section)} is not a section number 1..12`);
        if (!Array.isArray(list) || list.length === 0 || !list.every((action) => ACTIONS.includes(action as RepairAction))) {
          throw new Error(`repair.actions[${section}] must be a non-empty list of ${ACTIONS.join(", ")}`);
        }
        actions[section] = list as RepairAction[];
      }
      out.actions = actions;
    } else if (key === "stallAtChar" || key === "delayMs" || key === "chunkSize") {
      if (typeof field !== "number" || !Number.isInteger(field) || field < (key === "chunkSize" ? 1 : 0)) throw new Error(`repair.${key} must be an integer >= ${key === "chunkSize" ? 1 : 0}`);
      out[key] = field;
    } else {
      throw new Error(`unknown repair field ${JSON.stringify(key)} (known: source, sourceByTopic, actions, stallAtChar, chunkSize, delayMs)`);
    }
  }
  return out;
}

/** Section N of a Markdown document: from its `## N.` heading to the next `## ` heading. */
export function sectionOf(markdown: string, number: number): string | null {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => new RegExp(`^#{1,3}\\s+${number}[.)]\\s`).test(line));
  if (start < 0) return null;
  let end = start + 1;
  let inFence = false;
  for (; end < lines.length; end++) {
    const line = lines[end] ?? "";
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && /^#{1,2}\s+\d{1,2}[.)]\s/.test(line)) break;
  }
  return `${lines.slice(start, end).join("\n").trimEnd()}\n`;
}

function messageText(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
  return "";
}

export interface RepairResponder {
  /** Null when the request is not a repair request. */
  answer(script: RepairScript | null, messages: ChatMessage[], document: { key: string; text: string }): RepairAnswer | null;
  /** Forgets the attempt counts (a new scenario). */
  reset(): void;
}

export function createRepairResponder(): RepairResponder {
  const attempts = new Map<string, number>();
  return {
    reset: () => attempts.clear(),
    answer(script, messages, document) {
      const prompt = messageText(messages.find((message) => message.role === "user"));
      const marker = MARKER.exec(prompt);
      if (!marker) return null;
      const section = Number(marker[1]);
      const counter = `${document.key}\u0000${section}`;
      const attempt = (attempts.get(counter) ?? 0) + 1;
      attempts.set(counter, attempt);
      const list = script?.actions?.[String(section)] ?? ["fix"];
      const action = list[Math.min(attempt, list.length) - 1] ?? "fix";
      const topic = Object.keys(script?.sourceByTopic ?? {}).find((key) => prompt.toLowerCase().includes(key.toLowerCase()));
      const source = (topic !== undefined ? script?.sourceByTopic?.[topic] : undefined) ?? script?.source ?? document.text;
      const current = QUOTED.exec(prompt)?.[1] ?? sectionOf(document.text, section) ?? "";
      const fix = sectionOf(source, section) ?? current;
      const heading = fix.split("\n")[0] ?? `## ${section}.`;
      const at = script?.stallAtChar ?? 0;
      switch (action) {
        case "fix":
          return { section, attempt, action, text: fix, fault: null };
        case "same":
          return { section, attempt, action, text: current, fault: null };
        case "worse":
          return { section, attempt, action, text: `${heading}\n\nThis part depends on the workload; measure it before deciding.\n`, fault: null };
        case "other-headings":
          return { section, attempt, action, text: `${fix}\n## ${section === 12 ? 11 : section + 1}. Another Section\n\nText that belongs elsewhere.\n`, fault: null };
        case "chatter":
          return { section, attempt, action, text: `Sure! Here is the rewritten section:\n\n\`\`\`markdown\n${fix}\`\`\`\n\nLet me know if you want any other changes.\n`, fault: null };
        case "http-500":
          return { section, attempt, action, text: "", fault: null };
        case "stall":
        case "reset":
          return { section, attempt, action, text: fix, fault: { kind: action, at } };
      }
    },
  };
}
