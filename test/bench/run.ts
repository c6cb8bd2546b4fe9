/**
 * `npm run bench [-- <suite> …]`: runs the benchmark suites in `test/bench/*.bench.ts` (all, or the ones named)
 * one after another, prints each suite's figures as Markdown, and appends them to `.bench/results.md` with the
 * date, the machine and the command, ready to be copied into BENCHMARKS.md.
 *
 * A suite exports `run(ctx)`; it measures what it compares in the same run (ratios, not absolute timings in
 * isolation), because this is a noisy 2-core machine.
 */
import { appendFileSync, mkdirSync, readdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** What a suite gets: a way to report a table and free-form lines. */
export interface BenchContext {
  /** Adds a Markdown table to the suite's output. */
  table(title: string, header: string[], rows: (string | number)[][]): void;
  /** Adds a line of text (a note, a target met or missed). */
  note(text: string): void;
}

/** The shape of a `*.bench.ts` module. */
export interface BenchSuite {
  /** One sentence: what the suite measures. */
  description: string;
  run(ctx: BenchContext): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const files = readdirSync(here)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".bench.ts")))
    .sort();
  if (files.length === 0) {
    process.stderr.write(
      `no benchmark suite matches ${wanted.join(", ")}; suites: ${listSuites().join(", ")}\n`,
    );
    process.exitCode = 254;
    return;
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync(join(root, ".bench"), { recursive: true });
  for (const file of files) {
    const name = basename(file, ".bench.ts");
    const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchSuite;
    const out: string[] = [
      `### ${name}`,
      "",
      `${mod.description}`,
      "",
      `Command: \`npm run bench -- ${name}\` · ${date} · ${machine}`,
      "",
    ];
    const ctx: BenchContext = {
      table(title, header, rows) {
        out.push(`**${title}**`, "", `| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
        for (const r of rows) out.push(`| ${r.join(" | ")} |`);
        out.push("");
      },
      note(text) {
        out.push(text, "");
      },
    };
    process.stderr.write(`[bench] ${name}…\n`);
    await mod.run(ctx);
    const text = out.join("\n") + "\n";
    process.stdout.write(text);
    appendFileSync(join(root, ".bench", "results.md"), text);
  }
}

function listSuites(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith(".bench.ts"))
    .map((f) => basename(f, ".bench.ts"));
}

await main();
