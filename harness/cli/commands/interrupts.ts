import type { RunEnvironment } from "../../runner/index.js";
import { ExitCode } from "../../../core/errors/index.js";

/**
 * Runs `fn` with an abort signal wired to SIGINT/SIGTERM: the first signal stops the current run cleanly
 * (teardown, history kept), a second one kills the current run's processes at once and exits 130 ({@link ExitCode}.Forced).
 */
export async function withInterrupts<T>(
  fn: (env: Pick<RunEnvironment, "signal" | "onRunDirectory">) => Promise<T>,
): Promise<T> {
  const { killRunSync } = await import("../../../core/backends/reaper/index.js");
  const controller = new AbortController();
  let runId: string | undefined;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals === 1) {
      process.stderr.write(
        `\nfaultline: ${sig}: stopping the run and tearing the cluster down (again to force)\n`,
      );
      controller.abort();
      return;
    }
    const n = runId === undefined ? 0 : killRunSync(runId);
    process.stderr.write(`faultline: forced: killed ${n} process(es) of run ${runId ?? "?"}\n`);
    process.exit(ExitCode.Forced);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await fn({ signal: controller.signal, onRunDirectory: (d) => (runId = d.runId) });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
