/**
 * The `kv` model's state: a key's string and a hash of it kept up to date by appends; strings that no get of the
 * key ever returns are all one state.
 */

/**
 * A key's string with a polynomial hash of it, kept up to date as appends extend it. The hash depends on the
 * string alone, however it was built (a put, or appends in some order), so equal strings hash alike; different
 * orders of the same appends, which have the same length, almost always hash apart. (Hashing the length alone
 * made every order of a key's concurrent appends collide in the search's cache: with 50 clients, each lookup
 * then compared thousands of long strings of equal length.)
 *
 * An `unread` state is a string that contains a put value or an appended string that no get of the key returned:
 * no get is legal from it until the next put, whatever else it holds, so all unread states are equal (the search
 * need not try every order of appends that a put overwrites before anyone reads them). Its `value` is one such
 * string, for explanations; its `hash` is {@link UNREAD_HASH}.
 */
export interface KvState {
  readonly value: string;
  /** Σ value[i] · B^(n − 1 − i) mod 2³², B = {@link BASE}; {@link UNREAD_HASH} when `unread`. */
  readonly hash: number;
  readonly unread: boolean;
}

/** The hash of every unread state. */
export const UNREAD_HASH = 0x2f6b_7a1d;

/** The base of the polynomial hash (an odd 32-bit multiplier, FNV's prime). */
export const BASE = 0x01000193;

/** The missing key's string. */
export const EMPTY: KvState = Object.freeze({ value: "", hash: 0, unread: false });

/** The state holding `value`. */
export function kvState(value: string): KvState {
  let h = 0;
  for (let i = 0; i < value.length; i++) h = (Math.imul(h, BASE) + value.charCodeAt(i)) | 0;
  return { value, hash: h, unread: false };
}

/** The unread state holding `value`. */
export function unreadState(value: string): KvState {
  return { value, hash: UNREAD_HASH, unread: true };
}

/** B^n mod 2³²: what a string's hash is multiplied by when n characters are appended to it. */
export function power(n: number): number {
  let r = 1;
  let b = BASE;
  for (let e = n; e > 0; e >>>= 1) {
    if ((e & 1) === 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
  }
  return r;
}

/** True when two states are the same string, or both unread. */
export function equalStates(a: KvState, b: KvState): boolean {
  if (a === b) return true;
  return a.unread ? b.unread : !b.unread && a.hash === b.hash && a.value === b.value;
}

/** Hashes of each prefix of an observed value (`[k]`: of its first k characters), made when first asked for. */
const prefixHashes = new WeakMap<KvState, Int32Array>();

/**
 * False when `s` is certainly not a prefix of `seen`: compared by hash (a prefix's hash is one array read), so a
 * different hash proves it; an equal one is taken as "it may be", which is what a lookahead needs to stay safe.
 */
export function mayBePrefix(s: KvState, seen: KvState): boolean {
  if (s.unread) return false;
  const n = s.value.length;
  if (n === 0) return true;
  if (n > seen.value.length) return false;
  let p = prefixHashes.get(seen);
  if (p === undefined) {
    const v = seen.value;
    p = new Int32Array(v.length + 1);
    for (let i = 0; i < v.length; i++) p[i + 1] = (Math.imul(p[i], BASE) + v.charCodeAt(i)) | 0;
    prefixHashes.set(seen, p);
  }
  return p[n] === s.hash;
}
