import { describe, expect, it } from "vitest";
import { selfOrigin } from "@/lib/http/self-origin";

describe("selfOrigin", () => {
  it("is the listen address from PORT/HOST, 127.0.0.1:3000 by default", () => {
    expect(selfOrigin({})).toBe("http://127.0.0.1:3000");
    expect(selfOrigin({ HOST: "  " })).toBe("http://127.0.0.1:3000");
    expect(selfOrigin({ HOST: " studio.internal " })).toBe("http://studio.internal:3000");
    expect(selfOrigin({ PORT: "3500", HOST: "10.0.0.5" })).toBe("http://10.0.0.5:3500");
  });

  it("reaches a wildcard listen address on loopback", () => {
    expect(selfOrigin({ PORT: "3500", HOST: "0.0.0.0" })).toBe("http://127.0.0.1:3500");
    expect(selfOrigin({ PORT: "80", HOST: "::" })).toBe("http://[::1]:80");
    expect(selfOrigin({ PORT: "80", HOST: "[::]" })).toBe("http://[::1]:80");
  });

  it("brackets an IPv6 address once", () => {
    expect(selfOrigin({ PORT: "81", HOST: "::1" })).toBe("http://[::1]:81");
    expect(selfOrigin({ PORT: "81", HOST: "[::1]" })).toBe("http://[::1]:81");
    expect(selfOrigin({ PORT: "81", HOST: "fd00::5" })).toBe("http://[fd00::5]:81");
  });

  it("reads process.env when given nothing", () => {
    const saved = { PORT: process.env.PORT, HOST: process.env.HOST };
    process.env.PORT = "4321";
    process.env.HOST = "localhost";
    try {
      expect(selfOrigin()).toBe("http://localhost:4321");
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
