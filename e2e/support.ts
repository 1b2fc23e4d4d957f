import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { E2E } from "../playwright.config";
import { fakeOpenAIControl } from "../tests/support/fake-openai/control";

export const fakeModel = fakeOpenAIControl(`http://127.0.0.1:${E2E.fakeModelPort}`);

export const FIXTURE_FILE = path.resolve("lib/examples/library/rate-limiting.md");
export const fixture = () => readFileSync(FIXTURE_FILE, "utf8");

/** Unique per test run: the studio offers an existing document for a topic it already generated. */
export const uniqueTopic = (name: string) => `${name} ${Date.now().toString(36)}`;

export async function startFromHome(page: Page, topic: string): Promise<string> {
  await page.goto("/");
  await page.getByLabel("System-design topic").fill(topic);
  await page.getByRole("button", { name: /^Generate/ }).click();
  await page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  return page.url().split("/d/")[1]!;
}

export async function expectStatus(page: Page, status: string, timeout = 60_000) {
  await expect(page.getByTestId("document-status")).toHaveText(status, { timeout });
}

export async function headingTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="markdown-preview"] :is(h1, h2, h3)').allTextContents();
}

/** axe on the page as it is now: no serious or critical violation. */
export async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}, ${violation.nodes.length}): ${violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(" | ")}`);
  expect(serious, `${label}: serious/critical axe violations`).toEqual([]);
}
