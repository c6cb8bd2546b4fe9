import { describe, expect, it } from "vitest";
import * as faultline from "../../index.js";
import { InputError, run, startCluster } from "../../index.js";

describe("run", () => {
  it("should refuse bad options before starting anything, naming the field", async () => {
    await expect(run({ concurrency: 0 })).rejects.toThrow(InputError);
    await expect(run({ concurrency: 0 })).rejects.toThrow(/field "concurrency" in run\(\) options/);
    await expect(run({ timeLimit: "soon" } as never)).rejects.toThrow(/timeLimit/);
  });
});

describe("startCluster", () => {
  it("should refuse bad clients and store settings before starting anything", async () => {
    await expect(startCluster({ clients: ["a", "a"] })).rejects.toThrow(/clients must be distinct names/);
    await expect(startCluster({ clients: [] })).rejects.toThrow(InputError);
    await expect(startCluster({ followers: 0 })).rejects.toThrow(/store\.followers/);
  });
});

describe("faultline (top-level exports)", () => {
  it("should keep the existing exports and add the library API", () => {
    for (const name of [
      "FaultlineError",
      "InputError",
      "ExitCode",
      "compose",
      "worst",
      "safeCheck",
      "run",
      "startCluster",
      "runCampaign",
      "loadCampaign",
      "startResultsServer",
      "validateRunResults",
      "resultsJsonSchema",
      "RunResultsSchema",
    ]) {
      expect(faultline, name).toHaveProperty(name);
    }
  });
});
