import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, resolve } from "node:path";
import { FaultlineError, InputError } from "../../core/errors/index.js";
import { escapeHtml as e } from "../report/index.js";
import { assertReadableInput } from "../../core/user-paths/index.js";
import { isLoopback, isLoopbackHostHeader } from "./loopback.js";
import { renderStoreIndex } from "./render-index.js";
import { resolveInside } from "./safe-path.js";
import { scanStore } from "./store-index.js";

/** Options of {@link startResultsServer}. */
export interface ResultsServerOptions {
  /** The store to serve (default `store`). */
  storeDir?: string;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  /** Interface (default `127.0.0.1`: this machine only). */
  host?: string;
}

/** A running results server; `close()` (or `await using`) stops it. */
export interface StartedResultsServer extends AsyncDisposable {
  /** `http://127.0.0.1:8080/` */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly storeDir: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
  ".conf": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".yaml": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * The Content-Security-Policy of faultline's own pages (the index, error pages) and of every non-HTML file: the
 * same as the pages' own `<meta>` policy (harness/report's renderPage) — no script, no fetch, no form, no framing
 * by another site — so an SVG or a page from the store cannot run anything either.
 */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The policy of HTML files from the store (reports): their inline scripts may run (a report names them by hash in
 * its own `<meta>` policy, which browsers enforce on top of this one), but nothing is fetched or sent anywhere.
 */
const STORE_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * On every answer: no type sniffing, no referrer to other sites, nothing cached (the store changes under it), and a
 * Content-Security-Policy.
 */
const COMMON_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "content-security-policy": PAGE_CSP,
} as const;

/**
 * Starts `faultline serve`'s HTTP server: `/` lists the store's campaigns and runs with their verdicts,
 * `/api/index.json` gives the same as JSON, and `/files/<path>` serves a file of the store (a directory redirects
 * to its `report.html`). Paths are checked against the store's real path (no `..`, no symbolic link out of it);
 * only GET and HEAD are answered. Bound to loopback by default; then requests naming another host are refused
 * (a web page cannot reach it through DNS rebinding).
 *
 * @example
 * await using server = await startResultsServer({ storeDir: "store", port: 0 });
 * await fetch(server.url); // the index page
 */
export async function startResultsServer(o: ResultsServerOptions = {}): Promise<StartedResultsServer> {
  const storeDir = resolve(o.storeDir ?? "store");
  const host = o.host ?? "127.0.0.1";
  const port = o.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError("BAD_FLAG", `--port must be an integer from 0 to 65535, got ${port}`);
  }
  if (!existsSync(storeDir) || !statSync(storeDir).isDirectory()) {
    throw new InputError("NO_STORE", `--store-dir: no store at ${storeDir}`, {
      hint: "run `faultline run` or `faultline campaign` first, or point --store-dir at a store directory",
    });
  }
  // Never /proc, /sys or /dev: serving /proc would hand every process's environment to anyone on loopback.
  assertReadableInput(storeDir, { label: "--store-dir", kind: "directory" });
  // Requests are checked against the port actually bound (known once listening; `0` picks one).
  const served = { storeDir, loopbackOnly: isLoopback(host), port };
  const server = createServer((req, res) => {
    try {
      handle(req, res, served);
    } catch (err) {
      send(res, 500, "text/plain; charset=utf-8", `internal error: ${(err as Error).message}\n`);
    }
  });
  await listen(server, port, host);
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  served.port = actual;
  const shown = host.includes(":") ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
    return closed;
  };
  return {
    url: `http://${shown}:${actual}/`,
    port: actual,
    host,
    storeDir,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((ok, fail) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      if (err.code === "EADDRINUSE") {
        fail(
          new InputError("PORT_IN_USE", `port ${port} on ${host} is already in use`, {
            hint: "pick another with --port (0 picks a free one)",
          }),
        );
      } else if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND") {
        fail(new InputError("BAD_HOST", `--host ${host}: no such interface on this machine (${err.code})`));
      } else if (err.code === "EACCES") {
        fail(
          new InputError("PORT_DENIED", `port ${port} needs privileges this process lacks`, {
            hint: "use a port above 1023",
          }),
        );
      } else fail(new FaultlineError("SERVE_FAILED", `cannot listen on ${host}:${port}: ${err.message}`));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      ok();
    });
  });
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    ...COMMON_HEADERS,
    ...extra,
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function problem(res: ServerResponse, status: number, message: string): void {
  send(
    res,
    status,
    "text/html; charset=utf-8",
    `<!doctype html><meta charset="utf-8"><title>${status}</title><p>${status}: ${e(message)}</p><p><a href="/">all runs</a></p>\n`,
  );
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  { storeDir, loopbackOnly, port }: { storeDir: string; loopbackOnly: boolean; port: number },
): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", { allow: "GET, HEAD" });
    return;
  }
  if (loopbackOnly) {
    // Exactly a loopback name or address with this server's port (or none): a DNS-rebinding page's requests name
    // the attacker's host, which may well begin with `127.` or `localhost`.
    if (!isLoopbackHostHeader(req.headers.host, port)) {
      problem(
        res,
        421,
        `this server answers only requests for this machine (localhost, 127.x.y.z or [::1], port ${port}), not ${JSON.stringify(req.headers.host ?? "")}`,
      );
      return;
    }
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  if (path === "/" || path === "/index.html") {
    send(res, 200, "text/html; charset=utf-8", renderStoreIndex(scanStore(storeDir), storeDir));
    return;
  }
  if (path === "/api/index.json") {
    send(res, 200, "application/json; charset=utf-8", `${JSON.stringify(scanStore(storeDir), null, 2)}\n`);
    return;
  }
  if (!path.startsWith("/files/")) {
    problem(res, 404, `no page ${path}`);
    return;
  }
  const found = resolveInside(storeDir, path.slice("/files/".length));
  if ("status" in found) {
    problem(res, found.status, found.message);
    return;
  }
  const st = statSync(found.path);
  if (st.isDirectory()) {
    if (existsSync(join(found.path, "report.html"))) {
      res.writeHead(302, { location: `${path.replace(/\/$/, "")}/report.html`, ...COMMON_HEADERS });
      res.end();
    } else problem(res, 404, "this directory has no report.html");
    return;
  }
  const type = TYPES[extname(found.path)] ?? "application/octet-stream";
  res.writeHead(200, {
    "content-type": type,
    "content-length": st.size,
    ...COMMON_HEADERS,
    ...(type.startsWith("text/html") ? { "content-security-policy": STORE_HTML_CSP } : {}),
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(found.path)
    .on("error", () => res.destroy())
    .pipe(res);
}
