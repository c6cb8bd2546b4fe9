/** The message of a poll's last error, for a start or recovery that timed out: `no answer` when nothing failed. */
export function errText(err: unknown): string {
  return err instanceof Error ? err.message : err === undefined ? "no answer" : String(err);
}
