/**
 * The socket-owner source resolver's pieces: the `/proc` parsers on fixed text, and the resolver's walk
 * (peer socket → holding process → nearest node-naming ancestor of the run) over a fake `/proc`.
 */
import { describe, expect, it } from "vitest";
import {
  findPeerSocket,
  parseEnviron,
  parseHexEndpoint,
  parseProcNetTcp,
  parseProcStat,
  socketInode,
} from "../../nemesis/proxy/proc-parse.js";
import { OwnerResolver, type ProcSource } from "../../nemesis/proxy/source-owner.js";
import { Cleanup, http, startTestProxy } from "./proxy-test-helpers.js";

const TCP_HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
const tcpLine = (sl: number, local: string, remote: string, st: string, uid: number, inode: number): string =>
  `  ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000095064661 20 4 30 10 -1`;

describe("parseProcNetTcp", () => {
  it("should read IPv4 endpoints, state, uid and inode and skip the header", () => {
    const text = [
      TCP_HEADER,
      tcpLine(0, "00000000:07E8", "00000000:0000", "0A", 0, 1149),
      tcpLine(1, "0100007F:A2C4", "0100007F:1F90", "01", 1000, 55501),
      "",
    ].join("\n");
    expect(parseProcNetTcp(text, "LE")).toEqual([
      {
        localAddress: "0.0.0.0",
        localPort: 2024,
        remoteAddress: "0.0.0.0",
        remotePort: 0,
        state: 10,
        uid: 0,
        inode: 1149,
      },
      {
        localAddress: "127.0.0.1",
        localPort: 41668,
        remoteAddress: "127.0.0.1",
        remotePort: 8080,
        state: 1,
        uid: 1000,
        inode: 55501,
      },
    ]);
  });

  it("should read address words in the machine's byte order", () => {
    expect(parseHexEndpoint("0C00007F:0050", "LE")).toEqual({ address: "127.0.0.12", port: 80 });
    expect(parseHexEndpoint("7F00000C:0050", "BE")).toEqual({ address: "127.0.0.12", port: 80 });
  });

  it("should read IPv6 endpoints, compressing zeros and unwrapping IPv4-mapped addresses", () => {
    expect(parseHexEndpoint("00000000000000000000000001000000:1F90", "LE")).toEqual({
      address: "::1",
      port: 8080,
    });
    expect(parseHexEndpoint("0000000000000000FFFF00000100007F:1F90", "LE")).toEqual({
      address: "127.0.0.1",
      port: 8080,
    });
    expect(parseHexEndpoint("000080FE00000000FF005002BDA6FFFE:0016", "LE")).toEqual({
      address: "fe80::250:ff:feff:a6bd",
      port: 22,
    });
    expect(parseHexEndpoint("00000000000000000000000000000000:0000", "LE")?.address).toBe("::");
  });

  it("should skip malformed lines instead of throwing", () => {
    const text = [
      "garbage",
      "  0: 0100007F:XYZ1 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 0 0 5 1",
      "  1: 0100007F:1F90",
      tcpLine(2, "0100007F:1F90", "0100007F:A2C4", "01", 0, 77),
    ].join("\n");
    expect(parseProcNetTcp(text, "LE").map((e) => e.inode)).toEqual([77]);
  });
});

describe("findPeerSocket", () => {
  const entries = parseProcNetTcp(
    [
      TCP_HEADER,
      // the proxy's own accepted socket (the mirror image): never the answer
      tcpLine(0, "0100007F:1F90", "0100007F:A2C4", "01", 0, 900),
      // a closed peer (TIME_WAIT, inode 0)
      tcpLine(1, "0100007F:A2C5", "0100007F:1F90", "06", 0, 0),
      tcpLine(2, "0100007F:A2C4", "0100007F:1F90", "01", 0, 901),
    ].join("\n"),
    "LE",
  );

  it("should pick the socket whose local end is the connection's remote end", () => {
    const conn = {
      remoteAddress: "127.0.0.1",
      remotePort: 41668,
      localAddress: "127.0.0.1",
      localPort: 8080,
    };
    expect(findPeerSocket(entries, conn)?.inode).toBe(901);
  });

  it("should compare IPv4-mapped addresses in their IPv4 form", () => {
    const conn = {
      remoteAddress: "::ffff:127.0.0.1",
      remotePort: 41668,
      localAddress: "::FFFF:127.0.0.1",
      localPort: 8080,
    };
    expect(findPeerSocket(entries, conn)?.inode).toBe(901);
  });

  it("should not answer a socket no process holds any more", () => {
    const conn = {
      remoteAddress: "127.0.0.1",
      remotePort: 41669,
      localAddress: "127.0.0.1",
      localPort: 8080,
    };
    expect(findPeerSocket(entries, conn)).toBeUndefined();
  });
});

describe("parseEnviron, parseProcStat, socketInode", () => {
  it("should read NUL-separated variables, keeping the first of a repeated key", () => {
    const env = parseEnviron("FAULTLINE_NODE=a\0PATH=/bin:/usr/bin\0EQ=x=y\0junk\0FAULTLINE_NODE=b\0");
    expect([...env]).toEqual([
      ["FAULTLINE_NODE", "a"],
      ["PATH", "/bin:/usr/bin"],
      ["EQ", "x=y"],
    ]);
    expect(parseEnviron("").size).toBe(0);
  });

  it("should read ppid and start time after a command name with spaces and parentheses", () => {
    const fields = "S 4242 19016 7697 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 1226986 3133440 386";
    expect(parseProcStat(`19026 (a (b) c) ${fields}`)).toEqual({
      comm: "a (b) c",
      ppid: 4242,
      startTime: "1226986",
    });
    expect(parseProcStat("19026 (cat) S 1")).toBeUndefined();
    expect(parseProcStat("nonsense")).toBeUndefined();
  });

  it("should read the inode of socket links only", () => {
    expect(socketInode("socket:[55501]")).toBe(55501);
    expect(socketInode("pipe:[55501]")).toBeUndefined();
    expect(socketInode("/dev/null")).toBeUndefined();
  });
});

/** A process of the fake /proc. */
interface FakeProcess {
  ppid: number;
  start?: string;
  comm?: string;
  /** `undefined`: unreadable (another user's). */
  env?: Record<string, string>;
  /** fd number → link target. */
  fds?: Record<string, string>;
}

/** A fake /proc: `tcp` lines, and processes by pid; it counts the reads of each kind. */
class FakeProc implements ProcSource {
  readonly endianness = "LE" as const;
  readonly reads = { stat: 0, environ: 0, fdDirs: [] as number[] };
  tcp: string[] = [];
  tcp6: string[] = [];
  constructor(readonly procs: Map<number, FakeProcess>) {}

  readFile(path: string): Promise<string | undefined> {
    if (path === "/proc/net/tcp") return Promise.resolve([TCP_HEADER, ...this.tcp].join("\n"));
    if (path === "/proc/net/tcp6") return Promise.resolve([TCP_HEADER, ...this.tcp6].join("\n"));
    const m = /^\/proc\/(\d+)\/(stat|environ)$/.exec(path);
    const p = m ? this.procs.get(Number(m[1])) : undefined;
    if (!m || !p) return Promise.resolve(undefined);
    if (m[2] === "stat") {
      this.reads.stat++;
      const tail = `S ${p.ppid} 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 ${p.start ?? "100"} 0 0`;
      return Promise.resolve(`${m[1]} (${p.comm ?? "x"}) ${tail}`);
    }
    this.reads.environ++;
    if (!p.env) return Promise.resolve(undefined);
    return Promise.resolve(
      Object.entries(p.env)
        .map(([k, v]) => `${k}=${v}\0`)
        .join(""),
    );
  }

  readDir(path: string): Promise<string[] | undefined> {
    if (path === "/proc") return Promise.resolve([...this.procs.keys()].map(String).concat(["self", "net"]));
    const m = /^\/proc\/(\d+)\/fd$/.exec(path);
    const p = m ? this.procs.get(Number(m[1])) : undefined;
    if (!p || !p.env) return Promise.resolve(undefined);
    this.reads.fdDirs.push(Number(m![1]));
    return Promise.resolve(Object.keys(p.fds ?? {}));
  }

  readLink(path: string): Promise<string | undefined> {
    const m = /^\/proc\/(\d+)\/fd\/(\d+)$/.exec(path);
    const p = m ? this.procs.get(Number(m[1])) : undefined;
    return Promise.resolve(p?.env ? p.fds?.[m![2]!] : undefined);
  }
}

const RUN = { FAULTLINE_RUN_ID: "run-1" };
/** A connection from 127.0.0.1:<port> to the proxy listener 127.0.0.1:8080. */
const from = (port: number) => ({
  remoteAddress: "127.0.0.1",
  remotePort: port,
  localAddress: "127.0.0.1",
  localPort: 8080,
});
const peerLine = (port: number, inode: number): string =>
  tcpLine(0, `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`, "0100007F:1F90", "01", 0, inode);

function world(): FakeProc {
  const proc = new FakeProc(
    new Map<number, FakeProcess>([
      [1, { ppid: 0, env: {} }],
      [10, { ppid: 1, env: { PATH: "/bin" } }], // the harness: no run tag of its own
      [
        20,
        { ppid: 10, env: { ...RUN, FAULTLINE_NODE: "a" }, fds: { "0": "/dev/null", "5": "socket:[501]" } },
      ],
      [30, { ppid: 10, env: { ...RUN, FAULTLINE_NODE: "b" } }], // sh -c '…'
      [31, { ppid: 30, env: { PATH: "/bin" }, fds: { "3": "socket:[502]" } }], // its child, env replaced
      [40, { ppid: 10, env: { ...RUN }, fds: { "7": "socket:[503]" } }], // the run's, no node (the proxy)
      [
        50,
        { ppid: 10, env: { FAULTLINE_RUN_ID: "other", FAULTLINE_NODE: "a" }, fds: { "3": "socket:[504]" } },
      ],
      [60, { ppid: 10, fds: { "3": "socket:[505]" } }], // unreadable: another user's
      [70, { ppid: 1, env: { PATH: "/bin" }, fds: { "3": "socket:[506]" } }], // not the run's
    ]),
  );
  proc.tcp = [
    peerLine(40001, 501),
    peerLine(40002, 502),
    peerLine(40003, 503),
    peerLine(40004, 504),
    peerLine(40005, 505),
  ];
  proc.tcp6 = [
    tcpLine(
      0,
      "0000000000000000FFFF00000100007F:9C46",
      "0000000000000000FFFF00000100007F:1F90",
      "01",
      0,
      506,
    ),
  ];
  return proc;
}

describe("OwnerResolver", () => {
  it("should name the node of the process holding the peer socket", async () => {
    const proc = world();
    const r = new OwnerResolver({ runId: "run-1", proc });
    expect(await r.resolve(from(40001))).toMatchObject({ node: "a", pid: 20, nodePid: 20 });
  });

  it("should walk up to the nearest ancestor that names a node", async () => {
    const r = new OwnerResolver({ runId: "run-1", proc: world() });
    expect(await r.resolve(from(40002))).toMatchObject({ node: "b", pid: 31, nodePid: 30 });
  });

  it("should answer unknown for processes without a node, of another run, unreadable or outside the run", async () => {
    const proc = world();
    const r = new OwnerResolver({ runId: "run-1", proc });
    for (const port of [40003, 40004, 40005, 40006]) {
      expect(await r.resolve(from(port))).toMatchObject({ node: undefined, reason: "no-owner" });
    }
    // Only the run's processes had their descriptors read.
    expect(new Set(proc.reads.fdDirs)).toEqual(new Set([20, 30, 31]));
  });

  it("should accept any run's processes when given no run id", async () => {
    const r = new OwnerResolver({ proc: world() });
    expect(await r.resolve(from(40004))).toMatchObject({ node: "a", pid: 50 });
  });

  it("should answer no-socket when the peer socket is gone", async () => {
    const r = new OwnerResolver({ runId: "run-1", proc: world() });
    expect(await r.resolve(from(49999))).toMatchObject({ node: undefined, reason: "no-socket" });
  });

  it("should read each process's environment once, and again after pid reuse or exec", async () => {
    const proc = world();
    const r = new OwnerResolver({ runId: "run-1", proc });
    await r.resolve(from(40001));
    const first = proc.reads.environ;
    expect(first).toBe(proc.procs.size);
    await r.resolve(from(40001));
    expect(proc.reads.environ).toBe(first);
    // pid 20 exits; a new process of node c gets pid 20 (another start time) and holds the socket.
    proc.procs.set(20, {
      ppid: 10,
      start: "200",
      env: { ...RUN, FAULTLINE_NODE: "c" },
      fds: { "5": "socket:[501]" },
    });
    expect(await r.resolve(from(40001))).toMatchObject({ node: "c", pid: 20 });
    // pid 31 execs (same start time, new command name) with the node in its environment.
    proc.procs.set(31, {
      ppid: 30,
      comm: "y",
      env: { ...RUN, FAULTLINE_NODE: "d" },
      fds: { "3": "socket:[502]" },
    });
    expect(await r.resolve(from(40002))).toMatchObject({ node: "d", nodePid: 31 });
    expect(proc.reads.environ).toBe(first + 2);
  });

  it("should find a process that started while another lookup was listing /proc", async () => {
    const proc = world();
    const r = new OwnerResolver({ runId: "run-1", proc });
    const early = r.resolve(from(40001));
    proc.procs.set(80, { ppid: 10, env: { ...RUN, FAULTLINE_NODE: "e" }, fds: { "4": "socket:[507]" } });
    proc.tcp.push(peerLine(40007, 507));
    const late = r.resolve(from(40007));
    expect(await early).toMatchObject({ node: "a" });
    expect(await late).toMatchObject({ node: "e", pid: 80 });
  });

  it("should answer unknown, never throw, when /proc fails or hangs", async () => {
    const failing: ProcSource = {
      endianness: "LE",
      readFile: () => Promise.reject(new Error("EIO")),
      readDir: () => Promise.resolve(undefined),
      readLink: () => Promise.resolve(undefined),
    };
    expect(await new OwnerResolver({ proc: failing }).resolve(from(1))).toMatchObject({ reason: "error" });
    const hanging: ProcSource = { ...failing, readFile: () => new Promise(() => {}) };
    expect(await new OwnerResolver({ proc: hanging, timeoutMs: 20 }).resolve(from(1))).toMatchObject({
      node: undefined,
      reason: "timeout",
    });
  });

  it("should stop walking on a parent cycle", async () => {
    const proc = new FakeProc(
      new Map<number, FakeProcess>([
        [5, { ppid: 6, env: {}, fds: { "1": "socket:[9]" } }],
        [6, { ppid: 5, env: {} }],
      ]),
    );
    proc.tcp = [peerLine(40001, 9)];
    expect(await new OwnerResolver({ proc }).resolve(from(40001))).toMatchObject({ reason: "no-owner" });
  });
});

describe("/faultline/source-resolver", () => {
  it("should default to address mode, switch to owner mode with defaults, and reject bad bodies naming the field", async () => {
    const cleanup = new Cleanup();
    try {
      const { url } = await startTestProxy(cleanup);
      expect(JSON.parse((await http(url, "GET", "/faultline/source-resolver")).body)).toEqual({
        mode: "address",
        runId: null,
        envKey: "FAULTLINE_NODE",
        timeoutMs: 1000,
      });
      const on = await http(url, "POST", "/faultline/source-resolver", '{"mode":"owner","runId":"r1"}');
      expect(on.status).toBe(200);
      expect(JSON.parse(on.body)).toEqual({
        mode: "owner",
        runId: "r1",
        envKey: "FAULTLINE_NODE",
        timeoutMs: 1000,
      });
      const bad: [string, RegExp][] = [
        ["{}", /missing required field: mode/],
        ['{"mode":"pid"}', /mode must be "owner" or "address"/],
        ['{"mode":"owner","runId":""}', /runId must be a non-empty string or null/],
        ['{"mode":"owner","envKey":"A=B"}', /envKey must be an environment variable name/],
        ['{"mode":"owner","timeoutMs":0}', /timeoutMs must be an integer from 1 to 10000/],
        ['{"mode":"owner","timeoutMs":1.5}', /timeoutMs must be an integer/],
        ["[]", /expected an object/],
      ];
      for (const [body, message] of bad) {
        const res = await http(url, "POST", "/faultline/source-resolver", body);
        expect(res.status, body).toBe(400);
        expect(JSON.parse(res.body).error).toMatch(message);
      }
      // A rejected body changed nothing.
      expect(JSON.parse((await http(url, "GET", "/faultline/source-resolver")).body).runId).toBe("r1");
    } finally {
      await cleanup.run();
    }
  });
});
