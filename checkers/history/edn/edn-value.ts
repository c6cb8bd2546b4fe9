/**
 * The values of EDN (https://github.com/edn-format/edn) as faultline reads and prints them. Scalars map to
 * JavaScript (`nil` → `null`, integers and floats → `number`, strings and characters → `string`); vectors are
 * arrays; the rest are the small classes below.
 */
export type EdnValue =
  | null
  | boolean
  | number
  | string
  | EdnValue[]
  | EdnKeyword
  | EdnSymbol
  | EdnList
  | EdnMap
  | EdnSet
  | EdnTagged;

/** A keyword, `:name` or `:ns/name`; `name` is without the colon. */
export class EdnKeyword {
  constructor(readonly name: string) {}
}

/** A symbol, `name` or `ns/name`. */
export class EdnSymbol {
  constructor(readonly name: string) {}
}

/** A list, `( … )`. */
export class EdnList {
  constructor(readonly items: EdnValue[]) {}
}

/** A set, `#{ … }`, in the order written. */
export class EdnSet {
  constructor(readonly items: EdnValue[]) {}
}

/** A map, `{ k v … }`, as key/value pairs in the order written (keys may be any value). */
export class EdnMap {
  constructor(readonly entries: [EdnValue, EdnValue][]) {}

  /** The value under keyword `:name`, or undefined. */
  getKeyword(name: string): EdnValue | undefined {
    for (const [k, v] of this.entries) if (k instanceof EdnKeyword && k.name === name) return v;
    return undefined;
  }
}

/** A tagged element, `#tag value` (e.g. `#inst "…"`, or a record `#jepsen.history.Op{…}`). */
export class EdnTagged {
  constructor(
    readonly tag: string,
    readonly value: EdnValue,
  ) {}
}

/** A shorthand for `new EdnKeyword(name)`. */
export function kw(name: string): EdnKeyword {
  return new EdnKeyword(name);
}
