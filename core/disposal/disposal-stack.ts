/**
 * A small stand-in for `AsyncDisposableStack` (Node 20 has `Symbol.asyncDispose` but not the stack): resources
 * are pushed as they are acquired and released in reverse order, so a half-started cluster is torn down on any
 * error (STYLE.md §7).
 */
export class DisposalStack implements AsyncDisposable {
  readonly #entries: { label: string; dispose: () => unknown }[] = [];
  #disposed = false;

  /** Whether {@link DisposalStack.disposeAsync} has run. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Registers a cleanup function; it runs before every cleanup registered earlier.
   *
   * @example
   * const stack = new DisposalStack();
   * const server = await startServer();
   * stack.defer("server", () => server.close());
   * await stack.disposeAsync();
   */
  defer(label: string, dispose: () => unknown): void {
    if (this.#disposed) throw new Error(`cannot defer "${label}": the disposal stack was already disposed`);
    this.#entries.push({ label, dispose });
  }

  /** Registers an `AsyncDisposable` resource and returns it. */
  use<T extends AsyncDisposable>(label: string, resource: T): T {
    this.defer(label, () => resource[Symbol.asyncDispose]());
    return resource;
  }

  /**
   * Runs every cleanup, last registered first. Every cleanup runs even when an earlier one fails; failures are
   * collected into one `AggregateError` thrown at the end. A second call does nothing.
   */
  async disposeAsync(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    while (this.#entries.length > 0) {
      const entry = this.#entries.pop()!;
      try {
        await entry.dispose();
      } catch (err) {
        errors.push(new Error(`cleanup "${entry.label}" failed: ${errorText(err)}`, { cause: err }));
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} cleanups failed`);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.disposeAsync();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
