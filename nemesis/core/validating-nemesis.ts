import type { Nemesis } from "./nemesis.js";

/** A misuse found by {@link validatingNemesis}. */
export class NemesisContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NemesisContractError";
  }
}

/**
 * Checks the nemesis lifecycle and answers (Jepsen's `validate`): setup before invoke, nothing after teardown,
 * only the `f`s it declares, and completions that are well formed (`fail`/`info` carry an error).
 */
export function validatingNemesis(inner: Nemesis): Nemesis {
  let state: "new" | "set-up" | "torn-down" = "new";
  return {
    fs: inner.fs,
    async setup() {
      if (state !== "new") throw new NemesisContractError(`setup() on a ${state} nemesis`);
      await inner.setup();
      state = "set-up";
    },
    async invoke(op) {
      if (state !== "set-up") throw new NemesisContractError(`invoke(${op.f}) on a ${state} nemesis`);
      if (!inner.fs.includes(op.f))
        throw new NemesisContractError(`invoke(${op.f}): not one of ${inner.fs.join(", ")}`);
      const c = await inner.invoke(op);
      if (c.type !== "ok" && !c.error)
        throw new NemesisContractError(`a ${c.type} completion of ${op.f} needs an error`);
      return c;
    },
    healOps: () => inner.healOps(),
    async teardown() {
      if (state === "torn-down") throw new NemesisContractError("teardown() twice");
      state = "torn-down";
      await inner.teardown();
    },
  };
}
