import { describe, expect, it } from "vitest";
import { analyzeSections } from "@/lib/sections/analyzer";
import { compliant, replaceSectionBody, section, unmetRequired } from "./helpers";

/** Real models vary the layout inside sections; these alternatives must still count. */
const judge = (n: number, body: string) => section(analyzeSections(replaceSectionBody(compliant(), n, body), { final: true }), n);

describe("accepted layout variations", () => {
  it("section 2: bold-line approaches with ✗ and plain-prose reasoning", () => {
    const body = [1, 2]
      .map((i) => `**✗ Incorrect Approach #${i}: variant ${i}**\n\n\`\`\`ts\nawait load(key);\n\`\`\`\n\nIt seems reasonable because it is short. It breaks when 500 callers arrive together.`)
      .join("\n\n");
    expect(judge(2, `${body}\n\n**Production symptoms:** pool exhaustion and p99 spikes.`).state).toBe("satisfied");
  });

  it("section 7: a table naming each failure mode with its verdict", () => {
    const rows = ["Race condition", "Retry storm", "Partial failure", "Memory leak", "Deadlock", "Timeout mismatch"].map((name) => `| ${name} | Mitigated: yes, by the deadline |`);
    expect(judge(7, `| Failure mode | Design response |\n|---|---|\n${rows.join("\n")}`).state).toBe("satisfied");
  });

  it("section 7: an unnamed failure mode without a verdict fails mitigation", () => {
    const rows = ["Race condition", "Retry storm", "Partial failure", "Memory leak", "Deadlock", "Timeout mismatch"].map((name) => `| ${name} | Mitigated: yes |`);
    const report = analyzeSections(replaceSectionBody(compliant(), 7, `${rows.join("\n")}\n\n### Clock skew\nLeases drift apart on different hosts.`), { final: true });
    expect(unmetRequired(report, 7)).toEqual(["mitigation"]);
    expect(section(report, 7).requirements.find((r) => r.id === "mitigation")?.reason).toMatch(/Clock skew/);
  });

  it("section 9: `### Mistake N:` with Detection:/How to fix labels and list-item fields", () => {
    const body = [1, 2, 3]
      .map((i) => `### Mistake ${i}: variant ${i}\n- **Why engineers do it:** habit.\n- **What breaks in production:** outages.\n- Detection: a gauge of in-flight age.\n- **How to fix or avoid it:** add a deadline.`)
      .join("\n\n");
    expect(judge(9, body).state).toBe("satisfied");
  });

  it("section 10 and 11: bold list items", () => {
    const s10 = "- **Tiny fan-out:** Use a plain cache instead, because nothing is saved.\n- **Writes:** Instead, use idempotency keys, since each write needs its own result.";
    expect(judge(10, s10).state).toBe("satisfied");
    const s11 = "- **Circuit breaker**: stops calls to a failing dependency, whereas coalescing reduces calls to a healthy one.\n- **Bulkhead** — complements coalescing by isolating pools.";
    expect(judge(11, s11).state).toBe("satisfied");
  });

  it("section 12: a plain bullet checklist grouped under sub-headings passes, with the checkbox advisory unmet", () => {
    const body = "### Metrics\n- Alert on p99 and in-flight map size\n### Logging\n- One structured log per failure\n### Timeouts and limits\n- Deadline below caller timeout\n- Map size limit of 10,000\n### Load testing\n- Load test a synchronized expiry\n### Rollout\n- Canary 5%, rollback by flag";
    const result = judge(12, body);
    expect(result.state).toBe("satisfied");
    expect(result.requirements.find((r) => r.id === "checkbox-format")).toMatchObject({ met: false, required: false });
  });
});
