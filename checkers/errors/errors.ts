/**
 * The one error class faultline throws on purpose. It carries a stable `code` (e.g. `PROXY_PORT_IN_USE`), the
 * values involved (`details`) and a `hint` saying what to do, so the CLI can print a useful message without a
 * stack trace and choose the exit code.
 */
export class FaultlineError extends Error {
  /** Stable, greppable identifier of the failure, SCREAMING_SNAKE_CASE. */
  readonly code: string;
  /** The values that explain the failure (ports, paths, field names…). */
  readonly details: Readonly<Record<string, unknown>>;
  /** What the user can do about it, if anything. */
  readonly hint: string | undefined;
  /**
   * Whether the failure is the user's input (exit 254) rather than an environment problem or a bug (exit 255).
   */
  readonly userError: boolean;

  constructor(
    code: string,
    message: string,
    options: {
      details?: Record<string, unknown>;
      hint?: string;
      userError?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FaultlineError";
    this.code = code;
    this.details = options.details ?? {};
    this.hint = options.hint;
    this.userError = options.userError ?? false;
  }
}

/**
 * Bad input from the user: a flag, a config field, a history line, an API request. Always exit code 254.
 *
 * @example
 * throw new InputError("BAD_FLAG", "--rate must be a positive number, got \"-3\"", { details: { flag: "--rate" } });
 */
export class InputError extends FaultlineError {
  constructor(
    code: string,
    message: string,
    options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, { ...options, userError: true });
    this.name = "InputError";
  }
}

/** Type guard for {@link FaultlineError}, also true for errors from another copy of this module. */
export function isFaultlineError(err: unknown): err is FaultlineError {
  return (
    err instanceof FaultlineError ||
    (typeof err === "object" &&
      err !== null &&
      typeof (err as { code?: unknown }).code === "string" &&
      typeof (err as { userError?: unknown }).userError === "boolean")
  );
}
