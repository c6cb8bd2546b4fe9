import type { Command } from "commander";
import { ExitCode } from "../../../core/errors/index.js";
import { setExitCode } from "../set-exit-code.js";
import { shown as rel, verdictWord } from "./summary-text.js";

interface CampaignFlags {
  storeDir?: string;
  dryRun?: boolean;
  shard?: string;
  resume?: string;
}

/**
 * Registers `faultline campaign <file.yaml>`: runs a matrix of stores × workloads × nemeses × replication modes ×
 * seeds one run after another, with a progress bar and ETA, and writes `<store>/campaigns/<name>/<timestamp>/` with every
 * run, a report comparing the configurations, `junit.xml` and `results.json`. Exit code: the worst verdict (0
 * valid, 1 invalid, 2 unknown, a run without a verdict, or interrupted); 254 for a bad campaign file.
 *
 * @example
 * faultline campaign examples/campaign.yaml
 * faultline campaign examples/campaign.yaml --dry-run
 */
export function registerCampaignCommand(program: Command): Command {
  const cmd = program
    .command("campaign")
    .argument("<file>", "a campaign file (YAML or JSON): name, run settings, store settings, matrix")
    .description(
      "run a matrix of stores × workloads × nemeses × replication modes × seeds and compare them in one report; " +
        "writes store/campaigns/<name>/<timestamp>/",
    )
    .option(
      "--store-dir <dir>",
      "where the campaign directory goes (default: the file's storeDir, else store)",
    )
    .option("--dry-run", "validate the file and list the runs without running them")
    .option(
      "--shard <I/N>",
      "run only the I-th of N shards of the campaign's runs (balanced by expected duration, the same split on " +
        "every machine), in a directory of its own; merge the shards with `faultline campaign merge`",
    )
    .option(
      "--resume <dir>",
      "finish the campaign directory <dir> of this file (after a crash, Ctrl-C or a cancelled CI job): run only " +
        "the runs it has no verdict for",
    );
  cmd
    .command("merge")
    .argument(
      "<dirs...>",
      "shard directories of one campaign (store/campaigns/<name>/<timestamp>-shard-I-of-N)",
    )
    .description(
      "merge the shard directories of one campaign into one campaign directory and comparison report; names " +
        "missing shards, refuses shards of another campaign or the same shard twice",
    )
    .option("--store-dir <dir>", "where the merged campaign directory goes (default: store)")
    .action(async (dirs: string[], _flags: unknown, sub: Command) => {
      // `campaign`'s own --store-dir is the same flag: read it wherever commander put it.
      const flags = sub.optsWithGlobals<{ storeDir?: string }>();
      const { mergeCampaigns } = await import("../../campaign/index.js");
      const merged = mergeCampaigns(dirs, { storeDir: flags.storeDir ?? "store", now: new Date() });
      const r = merged.results;
      const done = r.cells.filter((c) => c.status === "done");
      if (merged.missingShards.length > 0) {
        process.stderr.write(
          `faultline: missing ${merged.missingShards.length === 1 ? "shard" : "shards"} ${merged.missingShards.join(", ")}: ` +
            `${r.cells.length - done.length} runs without a verdict\n`,
        );
      }
      process.stdout.write(
        [
          `campaign: ${verdictWord(r.valid)} — merged ${dirs.length} shards: ${done.filter((c) => c.valid === true).length} valid, ` +
            `${done.filter((c) => c.valid === false).length} invalid, ${done.filter((c) => c.valid === "unknown").length} unknown, ` +
            `${r.cells.length - done.length} without a verdict, of ${r.cells.length} runs`,
          `report:  ${rel(merged.dir.files.report)}`,
          `results: ${rel(merged.dir.files.results)}`,
          `junit:   ${rel(merged.dir.files.junit)}`,
        ].join("\n") + "\n",
      );
      setExitCode(sub, merged.exitCode);
    });
  cmd.addHelpText(
    "after",
    "\nA campaign file:\n" +
      "  name: replication-under-faults\n" +
      "  run: { timeLimit: 8s, concurrency: 4 }          # any field of a --config file\n" +
      "  stores:                                          # each store's settings (and its own replication modes)\n" +
      "    simulated: { failoverTimeoutMs: 400ms }\n" +
      "  matrix:\n" +
      "    store: [postgres-patroni, simulated]           # optional: the store as an axis (faultline stores)\n" +
      "    workload: [set, register]\n" +
      "    nemesis: [partition-leader, kill-leader]\n" +
      '    replication: [async, "wait:1:100", "min-replicas:1:1"]\n' +
      "    seed: [1, 2]                                   # or a count: seed: 3\n" +
      "Ctrl-C stops the run in progress and skips the rest; the outputs are written anyway.",
  );
  cmd.action(async (file: string, flags: CampaignFlags) => {
    // Loaded here: every faultline process registers every command, and most never run a campaign.
    const {
      loadCampaign,
      expandMatrix,
      runCampaign,
      parseShard,
      campaignFileHash,
      seedFromHash,
      assignShards,
    } = await import("../../campaign/index.js");
    const { freshSeed } = await import("../../../core/random/index.js");
    const { readFileSync } = await import("node:fs");
    const campaign = loadCampaign(file);
    const fileHash = campaignFileHash(readFileSync(file));
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
    if (shard !== undefined && flags.resume !== undefined) {
      const { InputError } = await import("../../../core/errors/index.js");
      throw new InputError(
        "BAD_FLAG",
        "--shard and --resume go apart: a resumed directory already knows its shard (--resume <its directory>)",
        { details: { flags: ["--shard", "--resume"] } },
      );
    }
    if (flags.storeDir !== undefined) campaign.storeDir = flags.storeDir;
    if (flags.dryRun) {
      const { resolveRunConfig } = await import("../../config/index.js");
      const { cellConfig } = await import("../../campaign/index.js");
      const seed = campaign.seed ?? (shard ? seedFromHash(fileHash) : freshSeed());
      const all = expandMatrix(campaign, seed);
      const configs = all.map((cell) =>
        resolveRunConfig({
          file: {
            path: `${file} (run ${cell.id})`,
            data: cellConfig(campaign, cell, "runs"),
            bareDurations: "refused",
          },
          freshSeed,
        }),
      );
      const shardOf = shard
        ? assignShards(
            configs.map((x) => x.timeLimit),
            shard.count,
          )
        : undefined;
      const cells = all.filter((_, i) => shardOf === undefined || shardOf[i] === shard!.index);
      const of = shard ? ` of ${all.length}, shard ${shard.index}/${shard.count}` : "";
      process.stdout.write(
        `${cells.length} runs${of} (campaign seed ${seed}):\n${cells.map((c) => `  ${c.label}`).join("\n")}\n`,
      );
      return;
    }
    const controller = new AbortController();
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        process.stderr.write(
          `\nfaultline: ${sig}: stopping the run in progress; the rest of the campaign is skipped\n`,
        );
        controller.abort();
        return;
      }
      process.stderr.write("faultline: forced\n");
      process.exit(ExitCode.Forced);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const outcome = await runCampaign(
        { path: file, campaign },
        { stderr: process.stderr, signal: controller.signal, now: () => new Date(), freshSeed },
        {
          fileHash,
          ...(shard ? { shard } : {}),
          ...(flags.resume !== undefined ? { resume: flags.resume } : {}),
        },
      );
      const r = outcome.results;
      const done = r.cells.filter((c) => c.status === "done");
      const verdict = verdictWord(r.valid);
      process.stdout.write(
        [
          `campaign: ${verdict} — ${done.filter((c) => c.valid === true).length} valid, ${done.filter((c) => c.valid === false).length} invalid, ` +
            `${done.filter((c) => c.valid === "unknown").length} unknown, ${r.cells.length - done.length} without a verdict, of ${r.cells.length} runs`,
          `report:  ${rel(outcome.dir.files.report)}`,
          `results: ${rel(outcome.dir.files.results)}`,
          `junit:   ${rel(outcome.dir.files.junit)}`,
        ].join("\n") + "\n",
      );
      setExitCode(cmd, outcome.exitCode);
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
  return cmd;
}
