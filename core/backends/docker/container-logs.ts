import { writeFileSync } from "node:fs";
import type Docker from "dockerode";

/**
 * Saves a container's output (stdout and stderr, as `docker logs` shows it) to `file`; nothing is written when
 * it printed nothing. Errors (a container already gone) are ignored: logs are a convenience, never a failure.
 */
export async function saveContainerOutput(container: Docker.Container, file: string): Promise<boolean> {
  try {
    const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const text = demux(raw);
    if (text.length === 0) return false;
    writeFileSync(file, text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Joins the frames of a non-TTY container's output stream: each frame is an 8-byte header (stream type, three
 * zero bytes, a big-endian payload length) followed by the payload.
 */
export function demux(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const type = raw[at]!;
    const size = raw.readUInt32BE(at + 4);
    if (type > 2 || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0) return raw; // not multiplexed
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts);
}
