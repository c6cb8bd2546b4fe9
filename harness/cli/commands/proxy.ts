/**
 * `faultline proxy`: runs the Toxiproxy-compatible fault proxy on its own. Logs are pino JSON lines on stdout;
 * the first is `{"event":"listening","url":…}` so a parent process can learn the port when `--port 0`.
 */
import type { Command } from "commander";
import { pino } from "pino";
import { InputError } from "../../../core/errors/index.js";
import { loadProxyConfig, startProxyServer, type ProxyEvent } from "../../../nemesis/proxy/index.js";

/** How often `--exit-with-parent` checks that the parent process is still there. */
const PARENT_POLL_MS = 500;

interface ProxyFlags {
  host: string;
  port: string;
  config?: string;
  dialTimeout: string;
  seed?: string;
  exitWithParent?: boolean;
  plainToxiproxy?: boolean;
}

/** Registers `faultline proxy`. */
export function registerProxyCommand(program: Command): Command {
  return program
    .command("proxy")
    .description(
      "run the Toxiproxy-compatible fault proxy (HTTP API + TCP proxies) until SIGINT/SIGTERM; " +
        'logs JSON lines, the first being {"event":"listening","url":…}',
    )
    .option(
      "--host <host>",
      "address the HTTP API binds (it is unauthenticated: keep it on loopback)",
      "127.0.0.1",
    )
    .option("--port <port>", "HTTP API port (0: any free port)", "8474")
    .option("--config <file>", "JSON array of proxies to create at start (the POST /populate format)")
    .option("--dial-timeout <ms>", "upstream connect timeout in ms (0: the operating system's)", "10000")
    .option(
      "--seed <n>",
      "seed of the toxics' random draws (toxicity, jitter, slicer cuts), an integer 0…4294967295; the same seed " +
        "and the same connections give the same draws (default: $FAULTLINE_PROXY_SEED, else a fresh seed, logged at " +
        "start)",
    )
    .option("--exit-with-parent", "exit when the parent process dies (for harnesses that may be killed)")
    .option(
      "--plain-toxiproxy",
      "behave as a plain Toxiproxy 2.12: no /faultline/ routes, /version without faultline's name (for testing " +
        "the harness's real-Toxiproxy path)",
    )
    .action(async (flags: ProxyFlags) => runProxy(flags));
}

async function runProxy(flags: ProxyFlags): Promise<void> {
  const parent = process.ppid;
  const port = parseInteger("--port", flags.port, 0, 65535);
  const dialTimeoutMs = parseInteger("--dial-timeout", flags.dialTimeout, 0, 3_600_000);
  // A container cannot be given flags its image's command does not know (a real Toxiproxy shares the docker
  // backend's proxy slot), so the seed may also come from the environment.
  const seedText = flags.seed ?? process.env.FAULTLINE_PROXY_SEED;
  const seedFlag = flags.seed !== undefined ? "--seed" : "FAULTLINE_PROXY_SEED";
  const seed = seedText === undefined ? undefined : parseInteger(seedFlag, seedText, 0, 0xffff_ffff);
  const config = flags.config === undefined ? undefined : loadProxyConfig(flags.config);
  const log = pino({ base: { component: "proxy" } }, pino.destination({ fd: 1, sync: true }));
  const server = await startProxyServer({
    host: flags.host,
    port,
    dialTimeoutMs,
    ...(seed !== undefined ? { seed } : {}),
    ...(config ? { config } : {}),
    ...(flags.plainToxiproxy ? { plainToxiproxy: true } : {}),
  });
  log.info(
    { event: "listening", url: server.url, host: server.host, port: server.port, seed: server.seed },
    "listening",
  );
  const onEvent = (e: ProxyEvent): void => {
    const { kind, ...rest } = e;
    log.info({ event: kind, ...rest }, kind);
  };
  // The proxies of --config were created before anyone listened: logged first, then every change as it comes.
  for (const e of server.pastEvents()) onEvent(e);
  server.events.on("event", onEvent);

  const reason = await new Promise<string>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => resolve(signal);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let poll: NodeJS.Timeout | undefined;
    if (flags.exitWithParent) {
      // Orphans are re-parented (to init, pid 1, or a subreaper): a changed ppid means the parent is gone,
      // including when it died while this process was still starting (ppid already 1).
      const check = (): void => {
        if (process.ppid !== parent || parent === 1 || !alive(parent)) resolve("parent-exited");
      };
      poll = setInterval(check, PARENT_POLL_MS);
      check();
    }
    cleanup = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      if (poll) clearInterval(poll);
    };
  });
  cleanup();
  server.events.off("event", onEvent);
  await server.stop();
  log.info({ event: "stopped", reason }, "stopped");
}

let cleanup: () => void = () => {};

function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new InputError(
      "BAD_FLAG",
      `${flag} must be an integer between ${min} and ${max}, got ${JSON.stringify(text)}`,
      {
        details: { flag, value: text },
        hint: flag === "--port" ? "use --port 0 for any free port" : undefined,
      },
    );
  }
  return Number(text);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
