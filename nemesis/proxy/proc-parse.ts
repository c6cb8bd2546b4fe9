/**
 * Pure parsers for the Linux `/proc` files the socket-owner source resolver reads (`source-owner.ts`):
 * `/proc/net/tcp` and `/proc/net/tcp6` lines, `/proc/<pid>/environ`, `/proc/<pid>/stat` and the
 * `socket:[inode]` links of `/proc/<pid>/fd`. No I/O here, so every quirk is unit-tested on fixed text.
 */

/** One socket of `/proc/net/tcp` or `/proc/net/tcp6`. */
export interface TcpSocketEntry {
  /** Local IP address; IPv4-mapped IPv6 addresses are given in their IPv4 form (`127.0.0.1`). */
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** The kernel's state number (1 = ESTABLISHED, 10 = LISTEN). */
  state: number;
  /** Owner uid of the socket. */
  uid: number;
  /** The socket's inode (0 for a socket no process holds any more, e.g. TIME_WAIT). */
  inode: number;
}

/** TCP state number of an established connection. */
export const TCP_ESTABLISHED = 1;

/** Byte order the kernel printed the address words in (`os.endianness()` of the machine). */
export type Endianness = "LE" | "BE";

/**
 * Parses the text of `/proc/net/tcp` or `/proc/net/tcp6`: one entry per socket line, the header skipped.
 * Lines that do not have the expected shape are skipped, never thrown on (the proxy must not crash on a
 * kernel whose format differs).
 *
 * @example
 * parseProcNetTcp("  sl  local_address …\n   0: 0100007F:1F90 0100007F:A2C4 01 … 0 0 12345 …", "LE")
 * // → [{ localAddress: "127.0.0.1", localPort: 8080, remoteAddress: "127.0.0.1", remotePort: 41668, state: 1, … }]
 */
export function parseProcNetTcp(text: string, endianness: Endianness): TcpSocketEntry[] {
  const out: TcpSocketEntry[] = [];
  for (const line of text.split("\n")) {
    const entry = parseProcNetTcpLine(line, endianness);
    if (entry) out.push(entry);
  }
  return out;
}

/** One socket line of `/proc/net/tcp(6)`, or `undefined` for the header or a malformed line. */
export function parseProcNetTcpLine(line: string, endianness: Endianness): TcpSocketEntry | undefined {
  // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
  const f = line.trim().split(/\s+/);
  if (f.length < 10 || !/^\d+:$/.test(f[0]!)) return undefined;
  const local = parseHexEndpoint(f[1]!, endianness);
  const remote = parseHexEndpoint(f[2]!, endianness);
  if (!local || !remote || !/^[0-9A-Fa-f]{2}$/.test(f[3]!)) return undefined;
  if (!/^\d+$/.test(f[7]!) || !/^\d+$/.test(f[9]!)) return undefined;
  return {
    localAddress: local.address,
    localPort: local.port,
    remoteAddress: remote.address,
    remotePort: remote.port,
    state: parseInt(f[3]!, 16),
    uid: Number(f[7]),
    inode: Number(f[9]),
  };
}

/** `0100007F:1F90` → `{address: "127.0.0.1", port: 8080}` (32 hex digits for IPv6). */
export function parseHexEndpoint(
  text: string,
  endianness: Endianness,
): { address: string; port: number } | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (!m) return undefined;
  const hex = m[1]!;
  const port = parseInt(m[2]!, 16);
  // The kernel prints each 32-bit word of the (network-order) address as a host-order integer.
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    const wordBytes = [0, 2, 4, 6].map((i) => parseInt(word.slice(i, i + 2), 16));
    bytes.push(...(endianness === "LE" ? wordBytes.reverse() : wordBytes));
  }
  if (bytes.length === 4) return { address: bytes.join("."), port };
  return { address: ipv6Text(bytes), port };
}

/** 16 bytes → `::1`, `fe80::1`, `::ffff:127.0.0.1` given as `127.0.0.1`. */
function ipv6Text(bytes: number[]): string {
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Compress the longest run (≥ 2) of zero groups, as RFC 5952 and Node's socket addresses do.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexs = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hexs.join(":");
  const head = hexs.slice(0, bestStart).join(":");
  const tail = hexs.slice(bestStart + bestLen).join(":");
  return `${head}::${tail}`;
}

/**
 * The variables of a `/proc/<pid>/environ` (NUL-separated `KEY=value` entries). An entry without `=` is
 * skipped; a repeated key keeps its first value, as `getenv` does.
 */
export function parseEnviron(content: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of content.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (!env.has(key)) env.set(key, entry.slice(eq + 1));
  }
  return env;
}

/** The fields of `/proc/<pid>/stat` the resolver needs. */
export interface ProcStat {
  /** The command name (field 2, without its parentheses; at most 15 bytes, may hold spaces and `)`). */
  comm: string;
  /** The parent's pid (field 4; 0 for the kernel's own processes). */
  ppid: number;
  /** Start time in clock ticks since boot (field 22): with the pid, it names one process across pid reuse. */
  startTime: string;
}

/**
 * Parses `/proc/<pid>/stat`. The command name may contain spaces and parentheses, so the fields after it are
 * counted from the last `)`. `undefined` for text of another shape.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), rest[1] field 4 (ppid), rest[19] field 22 (starttime).
  if (rest.length < 20 || !/^\d+$/.test(rest[1]!) || !/^\d+$/.test(rest[19]!)) return undefined;
  return { comm: text.slice(open + 1, close), ppid: Number(rest[1]), startTime: rest[19]! };
}

/** The inode of a `/proc/<pid>/fd/N` link target `socket:[12345]`, or `undefined` for any other target. */
export function socketInode(linkTarget: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return m ? Number(m[1]) : undefined;
}

/**
 * The socket of the process at the other end of a loopback connection the proxy accepted: its local end is
 * the connection's remote address and port, its remote end the proxy listener's address and port.
 * Addresses are compared with IPv4-mapped IPv6 addresses unwrapped. The proxy's own accepted socket (the
 * mirror image) never matches, because its local port is the listener's.
 */
export function findPeerSocket(
  entries: readonly TcpSocketEntry[],
  conn: { remoteAddress: string; remotePort: number; localAddress: string; localPort: number },
): TcpSocketEntry | undefined {
  const remote = unwrapMapped(conn.remoteAddress);
  const local = unwrapMapped(conn.localAddress);
  return entries.find(
    (e) =>
      e.inode !== 0 &&
      e.localPort === conn.remotePort &&
      e.remotePort === conn.localPort &&
      e.localAddress === remote &&
      e.remoteAddress === local,
  );
}

function unwrapMapped(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && lower.includes(".") ? lower.slice(7) : lower;
}
