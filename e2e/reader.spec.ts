import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "../playwright.config";
import { startAppServer, temporaryDirectory } from "../tests/support/app-server";
import { ACCESS_COOKIE, accessCookieValue } from "../lib/http/access";
import { expectNoSeriousViolations, expectStatus, fakeModel, fixture, FIXTURE_FILE, uniqueTopic } from "./support";

/**
 * README screenshots are taken by every run into test-results/screenshots; with
 * UPDATE_SCREENSHOTS=1 they replace the committed ones (public/screenshots), so a run never
 * dirties the checkout by accident.
 */
const SCREENSHOTS = path.resolve(process.env.UPDATE_SCREENSHOTS === "1" ? "public/screenshots" : "test-results/screenshots");
const OUTPUT = path.resolve("test-results/reader");

test.beforeEach(async () => {
  await fakeModel.reset();
});

/** A finished document generated through the real pipeline from the fixture (rate-limiting.md). */
async function finishedDocument(page: Page, topic = uniqueTopic("Reader")): Promise<string> {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 2000, delayMs: 0 });
  const created = await page.request.post("/api/documents", { data: { topic, fresh: true } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await expect.poll(async () => ((await (await page.request.get(`/api/documents/${id}`)).json()) as { status: string }).status).toBe("complete");
  return id;
}

/** Text as PDF tools return it: no emoji (no emoji font on the server), no line breaks or hyphens (pdftotext joins "fan-\nout"). */
const normalise = (text: string) =>
  text
    .replace(/\p{Extended_Pictographic}|\uFE0F/gu, "")
    .replace(/[\s\-\u2010]+/g, "")
    .toLowerCase();

test.describe("accessibility (axe: no serious or critical violations)", () => {
  test("home and sign-in pages, light and dark", async ({ page }) => {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/");
      await expectNoSeriousViolations(page, `home (${scheme})`);
      await page.goto("/signin");
      await expectNoSeriousViolations(page, `sign-in (${scheme})`);
    }
  });

  test("a finished document, light and dark, with a checklist open", async ({ page }) => {
    const id = await finishedDocument(page);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`/d/${id}`);
      await expectStatus(page, "complete", 10_000);
      await page.getByTestId("section-9").locator("summary").click();
      await expectNoSeriousViolations(page, `finished document (${scheme})`);
    }
  });

  test("a live document while it streams; the live region announces section completions, not text", async ({ page }) => {
    await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 60, delayMs: 8 });
    const created = await page.request.post("/api/documents", { data: { topic: uniqueTopic("Live A11y"), fresh: true } });
    const { id } = (await created.json()) as { id: string };
    await page.addInitScript(() => {
      // Every text the page's live regions take on, in order.
      const log: string[] = [];
      (window as unknown as { __announced: string[] }).__announced = log;
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          const region = (mutation.target instanceof Element ? mutation.target : mutation.target.parentElement)?.closest("[aria-live]");
          if (region) log.push(`${region.getAttribute("data-testid") ?? region.tagName}: ${region.textContent ?? ""}`);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(`/d/${id}`);
    await expectStatus(page, "generating", 5_000);
    await expect(page.getByTestId("markdown-preview").locator("h2").first()).toBeVisible();
    await expectNoSeriousViolations(page, "live document");
    await expectStatus(page, "complete", 60_000);
    await expect(page.getByTestId("section-announcer")).toContainText("Document finished: 12 of 12 sections satisfied.");

    // Next.js's own route announcer (page title after client navigation) aside, ours is the only live region.
    const liveRegions = await page.locator("[aria-live]").evaluateAll((elements) => elements.map((element) => element.getAttribute("data-testid") ?? element.id));
    expect(liveRegions.filter((name) => name !== "__next-route-announcer__")).toEqual(["section-announcer"]);
    const announced = [...new Set(await page.evaluate(() => (window as unknown as { __announced: string[] }).__announced))];
    expect(announced.length).toBeGreaterThan(0);
    expect(announced.length).toBeLessThanOrEqual(13);
    for (const message of announced) expect(message).toMatch(/^section-announcer: (Section \d+, .+: satisfied\.( |$))+|^section-announcer: Document finished|^section-announcer: $/);
  });
});

test("PDF: one outline entry per section, every heading in the text, cached, named after the topic", async ({ page }) => {
  const topic = uniqueTopic("限流 PDF");
  const id = await finishedDocument(page, topic);
  const response = await page.request.get(`/api/documents/${id}/pdf`, { timeout: 60_000 });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["content-disposition"]).toBe(
    `inline; filename="pdf-${topic.split(" ").pop()}.pdf"; filename*=UTF-8''${encodeURIComponent(topic.replaceAll(" ", "-").toLowerCase())}.pdf`,
  );
  const pdf = await response.body();
  mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, "document.pdf");
  writeFileSync(file, pdf);

  const markdown = fixture();
  const headings = [...markdown.matchAll(/^(#{1,3}) (.+)$/gm)].map((match) => ({ level: match[1]!.length, text: match[2]! }));
  const sections = headings.filter((heading) => heading.level === 2).map((heading) => heading.text);
  expect(sections).toHaveLength(12);

  // pdftohtml -xml lists the outline: the title, with one nested entry per section (subsections below those).
  const xml = execFileSync("pdftohtml", ["-xml", "-stdout", "-i", "-q", file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const outline = xml.slice(xml.indexOf("<outline>"), xml.lastIndexOf("</outline>") + "</outline>".length);
  const topLevel = [...outline.matchAll(/<item page="\d+">([^<]*)<\/item>/g)].map((match) => match[1]!);
  const sectionLevel = sectionEntries(outline);
  expect(topLevel[0]).toBe("Rate Limiting");
  expect(sectionLevel.map(normalise)).toEqual(sections.map(normalise));

  const text = normalise(execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" }));
  for (const heading of headings) expect(text, `heading missing from the PDF text: ${heading.text}`).toContain(normalise(heading.text.replace(/&amp;/g, "&")));

  // Same version: served from the cache (byte-identical, and fast).
  const started = Date.now();
  const again = await page.request.get(`/api/documents/${id}/pdf`);
  expect(Buffer.compare(await again.body(), pdf)).toBe(0);
  expect(Date.now() - started).toBeLessThan(2_000);
});

test("under PRIVATE_READS the PDF needs the token and prints the document itself; the page exposes no link preview", async ({ request }) => {
  const token = "e2e-private-token";
  const directory = temporaryDirectory("studio-private-");
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 2000, delayMs: 0 });
  const server = await startAppServer({
    port: E2E.extraPort,
    env: {
      OPENAI_BASE_URL: `http://127.0.0.1:${E2E.fakeModelPort}/v1`,
      OPENAI_MODEL: "fake-model",
      DATABASE_URL: `file:${path.join(directory.path, "studio.db")}`,
      ACCESS_TOKEN: token,
      PRIVATE_READS: "1",
    },
  });
  try {
    const bearer = { authorization: `Bearer ${token}` };
    const created = await request.post(`${server.url}/api/documents`, { data: { topic: uniqueTopic("Private"), fresh: true }, headers: bearer });
    const { id } = (await created.json()) as { id: string };
    await expect.poll(async () => ((await (await request.get(`${server.url}/api/documents/${id}`, { headers: bearer })).json()) as { status: string }).status).toBe("complete");

    expect((await request.get(`${server.url}/api/documents/${id}/pdf`)).status()).toBe(401);
    expect((await request.get(`${server.url}/api/documents/${id}/og-image`)).status()).toBe(401);
    const pdf = await request.get(`${server.url}/api/documents/${id}/pdf`, { headers: bearer, timeout: 60_000 });
    expect(pdf.status()).toBe(200);
    mkdirSync(OUTPUT, { recursive: true });
    const file = path.join(OUTPUT, "private.pdf");
    writeFileSync(file, await pdf.body());
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    expect(text).toContain("12. Production Readiness Checklist");
    expect(text).not.toContain("Access token");

    const html = await (await request.get(`${server.url}/d/${id}`, { headers: { cookie: `${ACCESS_COOKIE}=${accessCookieValue(token)}` } })).text();
    expect(html).toContain("Rate Limiting");
    expect(html).not.toMatch(/<meta (property|name)="(og|twitter):/);
    expect(html).not.toContain('name="description" content="Rate limiting');
  } finally {
    await server.stop();
    directory.remove();
  }
});

/** Entries of the outline's second level (children of the title). */
function sectionEntries(outline: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  for (const token of outline.matchAll(/<outline>|<\/outline>|<item page="\d+">([^<]*)<\/item>/g)) {
    if (token[0] === "<outline>") depth++;
    else if (token[0] === "</outline>") depth--;
    else if (depth === 2) entries.push(token[1]!.replace(/&amp;/g, "&"));
  }
  return entries;
}

test("Print / Save as PDF opens the browser's print dialog, with the print stylesheet", async ({ page }) => {
  const id = await finishedDocument(page);
  await page.goto(`/d/${id}`);
  await page.evaluate(() => {
    (window as unknown as { __printed: number }).__printed = 0;
    window.print = () => void ((window as unknown as { __printed: number }).__printed += 1);
  });
  await page.getByRole("button", { name: "Print / Save as PDF" }).click();
  expect(await page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByTestId("workspace-aside")).toBeHidden();
  await expect(page.getByRole("button", { name: "Regenerate" })).toBeHidden();
  const styles = await page.evaluate(() => {
    const h2 = document.querySelector(".md-preview > h2")!;
    const code = document.querySelector('.md-code[data-kind="code"] pre')!;
    const diagram = document.querySelector('.md-code[data-kind="diagram"]')!;
    return {
      h2Break: getComputedStyle(h2).breakBefore,
      codeWhiteSpace: getComputedStyle(code).whiteSpace,
      diagramBreak: getComputedStyle(diagram).breakInside,
      diagramWhiteSpace: getComputedStyle(diagram.querySelector("pre")!).whiteSpace,
    };
  });
  expect(styles).toEqual({ h2Break: "page", codeWhiteSpace: "pre-wrap", diagramBreak: "avoid", diagramWhiteSpace: "pre" });
  await page.emulateMedia({ media: "screen" });
  expect(await page.locator('.md-code[data-kind="code"] pre').first().evaluate((element) => getComputedStyle(element).whiteSpace)).toBe("pre");
});

test("dark mode follows the system, and a chosen theme is remembered", async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const keywordColour = () => page.locator(".md-preview .hljs-keyword").first().evaluate((element) => getComputedStyle(element).color);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/examples/circuit-breaker");
  expect(await background()).toBe("rgb(13, 17, 23)");
  const darkKeyword = await keywordColour();

  await page.getByTestId("theme-select").selectOption("light");
  expect(await background()).toBe("rgb(255, 255, 255)");
  expect(await keywordColour()).not.toBe(darkKeyword);
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
  expect(await background()).toBe("rgb(255, 255, 255)");
  await expect(page.getByTestId("theme-select")).toHaveValue("light");

  await page.getByTestId("theme-select").selectOption("system");
  expect(await background()).toBe("rgb(13, 17, 23)");
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByTestId("theme-select").selectOption("dark");
  await page.reload();
  expect(await background()).toBe("rgb(13, 17, 23)");

  // README screenshot: a document in dark mode, scrolled to code and a diagram.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator(".md-preview > h2").nth(2).evaluate((element) => element.scrollIntoView({ block: "start" }));
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, "dark-mode.png") });
});

test("table of contents follows the scroll; j/k move between sections; ? lists shortcuts, which can be turned off", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto("/examples/rate-limiting");
  const outline = page.getByTestId("outline");
  const headingCount = await page.locator(".md-preview > h2, .md-preview > h3").count();
  await expect(outline.locator(".outline-link")).toHaveCount(headingCount);
  await expect(outline.locator(".outline-link").first()).toHaveText("1. The Real Problem This Exists to Solve");

  const current = () => outline.locator('[aria-current="location"]');
  const sectionTops = () => page.locator(".md-preview > h2").evaluateAll((elements) => elements.map((element) => Math.round(element.getBoundingClientRect().top)));

  await page.locator("body").press("j");
  await expect.poll(async () => (await sectionTops())[0]).toBeLessThan(40);
  await expect(current()).toHaveText("1. The Real Problem This Exists to Solve");
  await page.locator("body").press("j");
  await expect.poll(async () => (await sectionTops())[1]).toBeLessThan(40);
  await expect(current()).toHaveText("2. The Naive / Incorrect Approaches");
  await expect(page.locator(".md-preview > h2").nth(1)).toBeFocused();
  await page.keyboard.press("k");
  await expect.poll(async () => (await sectionTops())[0]).toBeLessThan(40);
  await expect(current()).toHaveText("1. The Real Problem This Exists to Solve");

  // Scrolling by other means moves the highlight too.
  await page.locator(".md-preview > h2").nth(6).evaluate((element) => element.scrollIntoView({ block: "start" }));
  await expect(current()).toHaveText("7. Failure Modes & Edge Cases");
  await outline.getByRole("button", { name: "10. When NOT to Use This (Anti-Patterns)" }).click();
  await expect(current()).toHaveText("10. When NOT to Use This (Anti-Patterns)");

  await page.keyboard.press("?");
  const dialog = page.getByTestId("shortcuts-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Next section");
  await dialog.getByLabel("Single-key shortcuts on").uncheck();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.reload();
  const before = await sectionTops();
  await page.locator("body").press("j");
  await page.keyboard.press("?");
  await page.waitForTimeout(300);
  expect(await sectionTops()).toEqual(before);
  await expect(dialog).toBeHidden();
  // The button still opens the list, where they can be turned back on.
  await outline.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await dialog.getByLabel("Single-key shortcuts on").check();
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.locator("body").press("j");
  await expect.poll(async () => (await sectionTops())[0]).toBeLessThan(40);
});

test("every code block shows its language and copies its code as text", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/examples/rate-limiting");
  const markdown = readFileSync("lib/examples/library/rate-limiting.md", "utf8");
  const fences = [...markdown.matchAll(/^```([^\n`]*)\n([\s\S]*?)^```\s*$/gm)].map((match) => ({ language: match[1]!.trim() || "text", code: match[2]! }));
  const blocks = page.locator(".md-code");
  await expect(blocks).toHaveCount(fences.length);
  await expect(page.locator(".md-preview pre")).toHaveCount(fences.length);
  expect(await blocks.locator(".md-code-language").allTextContents()).toEqual(fences.map((fence) => fence.language));

  const index = fences.findIndex((fence) => fence.code.includes("<") && fence.language !== "text");
  const block = blocks.nth(index);
  await block.getByRole("button", { name: /^Copy/ }).click();
  await expect(block.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fences[index]!.code);
});

test("link previews: Open Graph and Twitter tags with absolute URLs, and the image", async ({ page, request }) => {
  const id = await finishedDocument(page, uniqueTopic("Preview"));
  const html = await (await request.get(`/d/${id}`)).text();
  const meta = (key: string) => new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html)?.[1];
  expect(meta("og:type")).toBe("article");
  expect(meta("og:title")).toMatch(/^Preview /);
  expect(meta("og:description")).toMatch(/^Rate limiting caps how much work one caller/);
  expect(meta("twitter:card")).toBe("summary_large_image");
  const image = meta("og:image")!;
  expect(image).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/documents/${id}/og-image$`));
  const png = await request.get(image);
  expect(png.headers()["content-type"]).toBe("image/png");
});

test("downloads are named after the topic in any script", async ({ page }) => {
  const topic = uniqueTopic("限流设计");
  const id = await finishedDocument(page, topic);
  await page.goto(`/d/${id}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .md" }).click()]);
  expect(download.suggestedFilename()).toBe(`${topic.replace(" ", "-")}.md`);
});

test("on a 390×844 phone: the aside is a collapsed summary above the document, only code scrolls sideways, actions reachable", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const id = await finishedDocument(page, uniqueTopic("Mobile"));
  await page.goto(`/d/${id}`);
  await expectStatus(page, "complete", 10_000);

  const overflow = await page.evaluate(() => {
    const root = document.documentElement;
    const sideways = [...document.querySelectorAll<HTMLElement>("body *")].filter((element) => {
      const style = getComputedStyle(element);
      return element.scrollWidth > element.clientWidth + 1 && /auto|scroll/.test(style.overflowX) && element.clientWidth > 0;
    });
    return { page: root.scrollWidth - root.clientWidth, scrollers: [...new Set(sideways.map((element) => element.tagName))] };
  });
  expect(overflow.page).toBe(0);
  expect(overflow.scrollers.filter((tag) => tag !== "PRE")).toEqual([]);

  const aside = page.getByTestId("workspace-aside");
  const toggle = aside.getByRole("button", { name: /Contents · 12 \/ 12 sections satisfied/ });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByTestId("outline")).toBeHidden();
  const asideBox = (await aside.boundingBox())!;
  const documentBox = (await page.getByTestId("markdown-preview").boundingBox())!;
  expect(asideBox.y + asideBox.height).toBeLessThanOrEqual(documentBox.y);
  expect(asideBox.height).toBeLessThan(120);

  for (const name of ["Regenerate", "Copy link", "Print / Save as PDF"]) {
    const box = (await page.getByRole("button", { name }).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  for (const name of ["Download .md", "Download PDF"]) {
    const box = (await page.getByRole("link", { name }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, "mobile.png") });

  await toggle.click();
  await expect(page.getByTestId("outline")).toBeVisible();
  await expect(page.getByTestId("section-sidebar")).toBeVisible();
  await expectNoSeriousViolations(page, "finished document on a phone, aside open");
});
