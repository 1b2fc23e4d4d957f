import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectStatus, fakeModel, FIXTURE_FILE, startFromHome, uniqueTopic } from "./support";

test.beforeEach(async () => {
  await fakeModel.reset();
});

test("section 5 is 'checking' until the server's type check arrives; then badges show under each ts block, also after a reload", async ({ page }) => {
  // Slow enough that section 5 is finished well before the document is.
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 40, delayMs: 12 });
  await startFromHome(page, uniqueTopic("Typecheck Live"));
  const section5 = page.getByTestId("section-5");
  await expect(section5).toHaveAttribute("data-state", "checking", { timeout: 60_000 });
  await expect(page.getByTestId("section-checking-count")).toContainText("1 checking");
  await expect(page.getByTestId("typecheck-badge")).toHaveCount(0);

  await expectStatus(page, "complete");
  await expect(section5).toHaveAttribute("data-state", "satisfied");
  await expect(page.getByTestId("requirement-5-type-checks")).toHaveAttribute("data-met", "true");
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
  const badges = page.getByTestId("typecheck-badge");
  const blocks = (readFileSync(FIXTURE_FILE, "utf8").match(/^```ts$/gm) ?? []).length;
  await expect(badges).toHaveCount(blocks);
  await expect(page.locator('[data-testid="typecheck-badge"][data-status="ok"]').first()).toContainText("Type-checks");

  // Finished: the server-rendered page shows them from the stored report.
  await page.reload();
  await expect(page.getByTestId("typecheck-badge")).toHaveCount(blocks);
  await expect(page.getByTestId("requirement-5-type-checks")).toHaveAttribute("data-met", "true");
});

test("a type error in section 5 shows on its block with its line, and the section-5 item fails", async ({ page }) => {
  const broken = readFileSync(FIXTURE_FILE, "utf8").replace("## 6.", '```ts\nexport const windowMs = 1_000;\nexport const retryAfterMs: number = "1000";\n```\n\n## 6.');
  const file = path.join(mkdtempSync(path.join(tmpdir(), "typecheck-e2e-")), "broken.md");
  writeFileSync(file, broken);
  await fakeModel.setScenario({ documentFile: file, chunkSize: 400, delayMs: 5 });
  await startFromHome(page, uniqueTopic("Typecheck Broken"));
  await expectStatus(page, "complete");
  const failing = page.locator('[data-testid="typecheck-badge"][data-status="errors"]');
  await expect(failing).toHaveCount(1);
  await expect(failing).toContainText("1 type error");
  await expect(failing).toContainText("line 2: TS2322 Type 'string' is not assignable to type 'number'.");
  await expect(page.getByTestId("section-5")).toHaveAttribute("data-state", "incomplete");
  await page.getByTestId("section-5").locator(".sidebar-state").click();
  const item = page.getByTestId("requirement-5-type-checks");
  await expect(item).toHaveAttribute("data-met", "false");
  await expect(item).toContainText(/line 2: TS2322/);
});
