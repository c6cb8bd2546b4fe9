import { MultiBar, Presets, type SingleBar } from "cli-progress";
import { estimateRemainingMs, formatDuration, type FinishedRun } from "./campaign-eta.js";

/** Where campaign progress goes: stderr, usually (a progress bar on a terminal, plain lines otherwise). */
export interface CampaignProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The campaign's progress display. */
export interface CampaignProgress {
  /** Run `i` (0-based) begins. */
  started(i: number, label: string): void;
  /** Run `i` ended with this one-word outcome (`valid`, `INVALID`, `unknown`, `error: …`). */
  finished(i: number, label: string, outcome: string, elapsedMs: number): void;
  stop(): void;
}

/**
 * Shows a campaign's progress: on a terminal, a cli-progress bar (runs done of all, elapsed, ETA, the run in
 * progress) refreshed every second, with a line per finished run above it; otherwise (CI logs) a plain line when
 * each run starts and ends, with the ETA. The ETA is {@link estimateRemainingMs} over the remaining runs' time
 * limits and the overhead the finished runs showed.
 *
 * @example
 * const progress = startCampaignProgress({ sink: process.stderr, timeLimitsMs: cells.map(() => 8000) });
 */
export function startCampaignProgress(o: {
  sink: CampaignProgressSink;
  timeLimitsMs: readonly number[];
}): CampaignProgress {
  const total = o.timeLimitsMs.length;
  const finished: FinishedRun[] = [];
  const t0 = Date.now();
  let current: { i: number; label: string; since: number } | undefined;
  const eta = (): string => {
    const from = current ? current.i : finished.length;
    const rest = o.timeLimitsMs.slice(from);
    return formatDuration(estimateRemainingMs(finished, rest, current ? Date.now() - current.since : 0));
  };
  if (o.sink.isTTY !== true) {
    const line = (t: string): void => void o.sink.write(`campaign: ${t}\n`);
    return {
      started(i, label) {
        current = { i, label, since: Date.now() };
        line(`[${i + 1}/${total}] ${label} … (ETA ${eta()})`);
      },
      finished(i, label, outcome, elapsedMs) {
        finished.push({ elapsedMs, timeLimitMs: o.timeLimitsMs[i] ?? 0 });
        current = undefined;
        line(`[${i + 1}/${total}] ${label}: ${outcome} in ${formatDuration(elapsedMs)}`);
      },
      stop() {
        line(`${finished.length} of ${total} runs in ${formatDuration(Date.now() - t0)}`);
      },
    };
  }
  const multi = new MultiBar(
    {
      stream: o.sink as NodeJS.WritableStream,
      format: " {bar} {value}/{total} runs | {elapsedText} | ETA {etaText} | {run}",
      hideCursor: true,
      clearOnComplete: false,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  const bar: SingleBar = multi.create(total, 0, { elapsedText: "0s", etaText: eta(), run: "" });
  const refresh = (): void =>
    bar.update(finished.length, {
      elapsedText: formatDuration(Date.now() - t0),
      etaText: eta(),
      run: current?.label ?? "",
    });
  const timer = setInterval(refresh, 1000);
  timer.unref();
  let stopped = false;
  return {
    started(i, label) {
      current = { i, label, since: Date.now() };
      refresh();
    },
    finished(i, label, outcome, elapsedMs) {
      finished.push({ elapsedMs, timeLimitMs: o.timeLimitsMs[i] ?? 0 });
      current = undefined;
      multi.log(`[${i + 1}/${total}] ${label}: ${outcome} in ${formatDuration(elapsedMs)}\n`);
      refresh();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      refresh();
      multi.stop();
    },
  };
}
