import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectStatus } from "./support";

const EXAMPLE_TOPIC = "Circuit Breaker";
const EXAMPLE_FILE = path.resolve("lib/examples/library/circuit-breaker.md");

test("with no provider, the home page explains the set-up and the demo streams a library example end to end", async ({ page }) => {
  await page.goto("/");
  const setup = page.getByTestId("setup-instructions");
  await expect(setup).toContainText("Demo mode");
  await expect(setup).toContainText("OPENAI_BASE_URL=http://127.0.0.1:11434/v1");

  // A topic outside the library gets a clear message listing the demo topics.
  await page.getByLabel("System-design topic").fill("Consistent Hashing");
  await page.getByRole("button", { name: "Generate (demo)" }).click();
  await expect(page.getByTestId("create-error")).toContainText(`"${EXAMPLE_TOPIC}"`);
  await expect(page.getByTestId("create-error")).toContainText("OPENAI_API_KEY");

  await page.getByRole("button", { name: EXAMPLE_TOPIC, exact: true }).click();
  await page.getByRole("button", { name: "Generate (demo)" }).click();
  await page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  await expect(page.getByTestId("document-model")).toContainText("Demo");
  await expectStatus(page, "generating", 5_000);
  await expect(page.getByTestId("markdown-preview").locator("h2").first()).toBeVisible();

  await page.reload();
  await expectStatus(page, "complete", 60_000);
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");

  const expected = readFileSync(EXAMPLE_FILE, "utf8");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .md" }).click()]);
  expect(download.suggestedFilename()).toBe("circuit-breaker.md");
  expect(readFileSync((await download.path())!, "utf8")).toBe(expected);
});

test("the example library is browsable with its report and download", async ({ page }) => {
  await page.goto("/");
  await page.locator("#examples").getByRole("link", { name: EXAMPLE_TOPIC }).click();
  await expect(page).toHaveURL(/\/examples\/circuit-breaker$/);
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
  const download = await page.request.get("/examples/circuit-breaker/markdown");
  expect(await download.text()).toBe(readFileSync(EXAMPLE_FILE, "utf8"));
});

test("without a key, the Request Deduplication demo streams a deficient draft and repairs it live", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("System-design topic").fill("Request Deduplication");
  await page.getByRole("button", { name: "Generate (demo)" }).click();
  await page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  const seven = page.getByTestId("section-7");
  await expect(seven).toHaveAttribute("data-state", "incomplete", { timeout: 60_000 });
  await expect(seven).toHaveAttribute("data-state", "repairing", { timeout: 30_000 });
  await expect(page.getByTestId("repair-status")).toContainText("Repairing");
  await expectStatus(page, "complete", 60_000);
  await expect(seven).toHaveAttribute("data-state", "satisfied");
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .md" }).click()]);
  expect(readFileSync((await download.path())!, "utf8")).toBe(readFileSync(path.resolve("lib/examples/library/request-deduplication.md"), "utf8"));
});
