import { describe, expect, it } from "vitest";
import type { ModelActivity } from "@/lib/events/document-events";
import { ActivityMix } from "@/lib/generation/activity-mix";

describe("ActivityMix", () => {
  it("is writing while any request writes, thinking while any thinks and none writes, else waiting", () => {
    const published: ModelActivity[] = [];
    const mix = new ActivityMix<number>((activity) => published.push(activity));
    mix.set(1, "waiting");
    mix.set(2, "thinking");
    mix.set(3, "writing");
    mix.set(3, "thinking");
    mix.clear(2);
    mix.clear(3);
    mix.clear(1);
    expect(published).toEqual(["waiting", "thinking", "writing", "thinking", "thinking", "waiting", "waiting"]);
  });

  it("clearing a request it never counted publishes nothing", () => {
    const published: ModelActivity[] = [];
    const mix = new ActivityMix<string>((activity) => published.push(activity));
    mix.set("a", "writing");
    mix.clear("b");
    expect(published).toEqual(["writing"]);
  });
});
