import { describe, expect, it } from "vitest";
import { parseDuration, runCli } from "../../harness/cli/index.js";

describe("runCli", () => {
  it("should exit 254 naming the flag when given an unknown flag", async () => {
    const chunks: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(["--no-such-flag"])).toBe(254);
    } finally {
      process.stderr.write = orig;
    }
    expect(chunks.join("")).toContain("--no-such-flag");
  });
});

describe("parseDuration", () => {
  it("should parse units and bare seconds", () => {
    expect(parseDuration("--x", "500ms")).toBe(500);
    expect(parseDuration("--x", "30s")).toBe(30_000);
    expect(parseDuration("--x", "2m")).toBe(120_000);
    expect(parseDuration("--x", "1.5")).toBe(1500);
  });
  it("should throw an input error naming the flag when malformed", () => {
    expect(() => parseDuration("--time-limit", "soon")).toThrow(/--time-limit/);
  });
});
