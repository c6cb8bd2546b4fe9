/**
 * A fuzz test of `faultline run`'s input (issue 15, "What must be shown"): any command line and any config file
 * ends in exit 0, 1, 2 or 254 — never 255 (a crash) and never a hang.
 *
 * In process, thousands of inputs go through the same path `faultline run` takes before any cluster starts:
 * commander's parsing of the real program, then `resolveRunFlags` (the `--config` file, flags over it, the
 * schema, the schedule, the store directory), and the CLI's own error reporting; a valid input stops there (0).
 * Then a few real `faultline run --store simulated` processes with fuzzed flags run to their verdict. A hang
 * shows as an input that does not finish within a generous bound (HANG_MS), which fails the property.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify as toYaml } from "yaml";
import { buildProgram, reportError } from "../../harness/cli/index.js";
import { resolveRunFlags } from "../../harness/cli/commands/run.js";
import { RUN_FLAGS, flagName, type FlagSpec } from "../../harness/config/index.js";
import { ensureBuilt, finish, ROOT } from "../e2e/support/spine-helpers.js";

/** Past this an input counts as a hang (generous: parsing takes milliseconds; this only catches a hang). */
const HANG_MS = 10_000;
const ALLOWED = [0, 1, 2, 254];

let work: string;
let store: string;
/** Paths a fuzzed `--store-dir`, `--config` or `--schedule` may name: good, missing, unusable, kernel files. */
let paths: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "faultline-fuzz-"));
  store = join(work, "store");
  mkdirSync(store);
  const file = join(work, "a-file");
  writeFileSync(file, "{}");
  const schedule = join(work, "schedule.json");
  writeFileSync(
    schedule,
    JSON.stringify({
      timeLimit: "2s",
      quietPeriod: "500ms",
      windows: [{ fault: "kill", target: "leader", start: "500ms", duration: "500ms" }],
    }),
  );
  paths = [
    store,
    join(work, "missing", "deeper"),
    file,
    join(file, "below"),
    schedule,
    "test/fixtures/schedules/leader-partition.json",
    "/proc/nope",
    "/proc/self/status",
    "/sys/kernel",
    "/dev/null",
    "/dev/zero",
    work,
  ];
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Text a user might type: plausible values of every kind, and garbage. */
const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "",
    " ",
    "-1",
    "0",
    "1e400",
    "NaN",
    "Infinity",
    "0x10",
    "9".repeat(30),
    "--",
    "--help=x",
    "☃",
  ),
);
const durationText = fc.oneof(
  fc.constantFrom("0", "50ms", "300ms", "1s", "1.5", "2m", "24h", "25h", "300", "1h30m", "-5s", "5 s"),
  junk,
);

/** A value for one flag, of its kind (or garbage). */
function flagValue(spec: FlagSpec): fc.Arbitrary<string | undefined> {
  switch (spec.kind) {
    case "boolean":
      return fc.constant(undefined);
    case "duration":
      return durationText;
    case "int":
      return fc.oneof(fc.integer({ min: -5, max: 100 }).map(String), junk);
    case "number":
      return fc.oneof(fc.double({ min: -10, max: 2e6, noNaN: true }).map(String), junk);
    case "choice":
      return fc.oneof(fc.constantFrom(...(spec.choices ?? [])), junk);
    case "json-file":
      return fc.constantFrom(...paths);
    default:
      if (spec.field === "storeDir") return fc.constantFrom(...paths);
      if (spec.field === "nemesis") {
        return fc.oneof(
          fc.constantFrom(
            "none",
            "kill-leader",
            "partition-leader",
            "partition,kill,pause,latency,clock,link",
          ),
          fc.constantFrom("clock", "pause-manager", "isolate-follower", "kill,", ",", "explode"),
          junk,
        );
      }
      return spec.example ? fc.oneof(fc.constant(spec.example), junk) : junk;
  }
}

/** A command line for `faultline run`: flags of every kind with fuzzed values, unknown flags, stray words. */
const argv = fc
  .array(
    fc.oneof(
      {
        weight: 8,
        arbitrary: fc
          .constantFrom(...RUN_FLAGS)
          .chain((spec) => flagValue(spec).map((v) => [flagName(spec), v])),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.constantFrom("--nope", "-x", "--time-limit", "--config"),
          fc.option(junk, { nil: undefined }),
        ),
      },
      { weight: 1, arbitrary: junk.map((w) => [w, undefined] as const) },
    ),
    { maxLength: 8 },
  )
  .map((pairs) => pairs.flatMap(([flag, value]) => (value === undefined ? [flag!] : [flag!, value])));

/** A JSON value of a config field: mostly plausible, sometimes any JSON. */
const fieldValue = fc.oneof(
  durationText,
  fc.integer({ min: -10, max: 100_000 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("set", "register", "none", "kill-leader", "simulated", "redis-sentinel", "proxy", "docker"),
  fc.jsonValue({ maxDepth: 2 }),
);
const FIELDS = [
  ...new Set(RUN_FLAGS.map((f) => f.field.split(".")[0]!)),
  "followers",
  "concurency",
  "timelimit",
  "run",
  "checkers",
];
const STORE_FIELDS = [
  ...new Set(RUN_FLAGS.filter((f) => f.field.startsWith("store.")).map((f) => f.field.slice(6))),
];

/** A config file's content: an object of fields (JSON or YAML), or any text. */
const configText = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 6 }),
        fc.option(fc.dictionary(fc.constantFrom("kind", ...STORE_FIELDS), fieldValue, { maxKeys: 4 }), {
          nil: undefined,
        }),
        fc.boolean(),
      )
      .map(([top, storeFields, yaml]) => {
        const data = storeFields === undefined ? top : { ...top, store: storeFields };
        return yaml ? toYaml(data) : JSON.stringify(data);
      }),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("[1, 2]", "null", "42", "{", "a: [", "timeLimit: !!binary x", "? ? ?"),
  },
);

/**
 * `faultline run <args>` up to the moment a cluster would start, in process, as `runCli` runs it: commander
 * parses the real program, the run command's own validation runs, errors are reported and mapped to exit codes.
 * Returns the exit code (0 for an input that would start a run) and how long it took.
 */
async function runUntilStart(args: readonly string[]): Promise<number> {
  const program = buildProgram();
  const run = program.commands.find((c) => c.name() === "run")!;
  run.action(async (flags: Record<string, unknown>) => {
    await resolveRunFlags(flags);
  });
  try {
    await program.parseAsync(["run", "--store-dir", store, ...args], { from: "user" });
    return 0;
  } catch (err) {
    return reportError(err, false);
  }
}

/** Fails when `p` takes longer than {@link HANG_MS}: a hang. */
async function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms: ${what}`)), HANG_MS);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe("faultline run's input, fuzzed", () => {
  it("should end every command line in exit 0 or 254, never a crash or a hang", async () => {
    const quiet = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await fc.assert(
        fc.asyncProperty(argv, async (args) => {
          const code = await bounded(runUntilStart(args), JSON.stringify(args));
          expect([0, 254], `faultline run ${JSON.stringify(args)} exited ${code}`).toContain(code);
        }),
        { numRuns: 400, seed: 15 },
      );
    } finally {
      quiet.mockRestore();
      out.mockRestore();
    }
  }, 60_000);

  it("should end every config file, with or without flags over it, in exit 0 or 254", async () => {
    const quiet = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    // The YAML parser's warnings on garbage ("Unresolved tag") go through process.emitWarning: not asserted here.
    const warnings = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          configText,
          fc.constantFrom("run.yaml", "run.json"),
          argv,
          async (text, name, args) => {
            const dir = join(work, `c${n++}`);
            mkdirSync(dir);
            const path = join(dir, name);
            writeFileSync(path, text);
            const code = await bounded(
              runUntilStart(["--config", path, ...args]),
              `${text} ${JSON.stringify(args)}`,
            );
            expect(
              [0, 254],
              `--config with ${JSON.stringify(text)} and ${JSON.stringify(args)}: exit ${code}`,
            ).toContain(code);
          },
        ),
        { numRuns: 300, seed: 15 },
      );
    } finally {
      quiet.mockRestore();
      warnings.mockRestore();
    }
  }, 60_000);
});

describe("faultline run on the simulated store, fuzzed", () => {
  // `npm test` builds first (a no-op here); a lone run of this file after an edit compiles once.
  beforeAll(() => ensureBuilt(), 300_000);

  /** Flags a short real run takes: each of a few kinds, valid or not. */
  const runFlags = fc.record({
    workload: fc.constantFrom("set", "register", "counter", "list-append", "follower-reads"),
    nemesis: fc.constantFrom("none", "kill-leader", "partition-leader", "clock", "pause,kill", "latency"),
    concurrency: fc.constantFrom("1", "3", "0"),
    opTimeout: fc.constantFrom("100ms", "300ms", "10ms"),
    requireFaults: fc.boolean(),
    replication: fc.constantFrom("async", "sync", "wait:1:100"),
  });

  it("should end each real run in exit 0, 1, 2 or 254 (never 255, never a hang)", async () => {
    await fc.assert(
      fc.asyncProperty(runFlags, async (f) => {
        const args = [
          join(ROOT, "bin", "faultline.js"),
          "run",
          "--store",
          "simulated",
          "--time-limit",
          "400ms",
          "--recovery-timeout",
          "2s",
          "--nemesis-interval",
          "100ms",
          "--store-dir",
          store,
          "--workload",
          f.workload,
          "--nemesis",
          f.nemesis,
          "--concurrency",
          f.concurrency,
          "--op-timeout",
          f.opTimeout,
          "--replication",
          f.replication,
          ...(f.requireFaults ? ["--require-faults"] : []),
        ];
        const child = Object.assign(
          spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }),
          {
            out: { stdout: "", stderr: "" },
          },
        );
        child.stderr.on("data", (d: Buffer) => (child.out.stderr += d.toString()));
        child.stdout.on("data", (d: Buffer) => (child.out.stdout += d.toString()));
        // A hang: killed (SIGKILL) after the bound, which the assertions below then report.
        const r = await finish(child, 30_000);
        expect(r.signal, `${args.slice(2).join(" ")} hung:\n${r.stderr}`).toBeNull();
        expect(ALLOWED, `${args.slice(2).join(" ")} exited ${r.code}:\n${r.stderr}`).toContain(r.code);
      }),
      { numRuns: 4, seed: 15 },
    );
  }, 150_000);
});
