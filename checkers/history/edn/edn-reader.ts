import { InputError } from "../../errors/index.js";
import type { EdnValue } from "./edn-value.js";
import { EdnKeyword, EdnList, EdnMap, EdnSet, EdnSymbol, EdnTagged } from "./edn-value.js";

/** A top-level form and the line it starts on. */
export interface EdnForm {
  value: EdnValue;
  /** 1-based line of the form's first character. */
  line: number;
  /** For a top-level vector or list: the line each of its items starts on (Knossos writes a history as one). */
  itemLines?: number[];
}

const CHAR_NAMES: Record<string, string> = {
  newline: "\n",
  space: " ",
  tab: "\t",
  return: "\r",
  formfeed: "\f",
  backspace: "\b",
};
const STRING_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
};

// Character classes by code unit: what ends a token (whitespace, commas, brackets, quotes, `;`, `\`).
const ENDS_TOKEN = new Uint8Array(128);
for (const c of ' \t\n\r\f,()[]{}";\\') ENDS_TOKEN[c.charCodeAt(0)] = 1;
const NL = 10;
const ZERO = 48;
const NINE = 57;

/**
 * Reads every top-level EDN form in `text` (nil, booleans, integers incl. `N`, floats incl. `M`, ratios, `##Inf`,
 * `##NaN`, strings, characters, keywords, symbols, lists, vectors, maps, sets, `#_` discards, `;` comments and
 * tagged elements, records included). Big integers become (possibly inexact) numbers.
 *
 * Written for histories of millions of ops: one pass over char codes, keywords interned (a history repeats `:type`,
 * `:ok`, `:process` … on every op, so each is one object), integers read without a regular expression. Kept over
 * the npm package `edn-data` (1.2.2), weighed on Jepsen's corpus: that one returns only the first of several
 * top-level forms (a one-op-per-line history loses every op but the first, silently), accepts a map with an odd
 * number of forms, names no line in its errors, and read Elle's 2.8 MB `huge-scc.edn` about 3× slower than this.
 *
 * @throws InputError (`BAD_EDN`) naming the source and line.
 * @example
 * readEdn("{:type :invoke, :f :read, :value nil}")[0].value; // an EdnMap
 */
export function readEdn(text: string, source = "history.edn"): EdnForm[] {
  return new EdnReader(text, source).readAll();
}

class EdnReader {
  private pos = 0;
  private line = 1;
  private readonly keywords = new Map<string, EdnKeyword>();
  /** Set while reading a top-level sequence: the lines its items start on. */
  private itemLines: number[] | undefined;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  readAll(): EdnForm[] {
    const forms: EdnForm[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) return forms;
      const line = this.line;
      const c = this.text.charCodeAt(this.pos);
      const seq = c === 0x5b /* [ */ || c === 0x28; /* ( */
      this.itemLines = seq ? [] : undefined;
      const value = this.readForm();
      if (value === DISCARDED) continue;
      forms.push(seq ? { value, line, itemLines: this.itemLines } : { value, line });
    }
  }

  private fail(message: string, line = this.line): never {
    throw new InputError("BAD_EDN", `${this.source} line ${line}: ${message}`, {
      details: { source: this.source, line },
      hint: "Jepsen's, Knossos's and Elle's histories are EDN: one op map per form, or one vector or list of them",
    });
  }

  private skipSpace(): void {
    const t = this.text;
    const n = t.length;
    let pos = this.pos;
    while (pos < n) {
      const c = t.charCodeAt(pos);
      if (c === NL) {
        this.line++;
        pos++;
      } else if (c === 32 || c === 44 || c === 9 || c === 13 || c === 12) {
        pos++;
      } else if (c === 59 /* ; */) {
        while (pos < n && t.charCodeAt(pos) !== NL) pos++;
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  /** Reads one form; `#_` yields DISCARDED. */
  private readForm(): EdnValue | typeof DISCARDED {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x28 /* ( */:
        this.pos++;
        return new EdnList(this.readSeq(0x29));
      case 0x5b /* [ */:
        this.pos++;
        return this.readSeq(0x5d);
      case 0x7b /* { */:
        this.pos++;
        return this.readMap();
      case 0x22 /* " */:
        return this.readString();
      case 0x5c /* \ */:
        return this.readChar();
      case 0x29:
      case 0x5d:
      case 0x7d:
        return this.fail(`unexpected "${this.text[this.pos]}"`);
      case 0x23 /* # */:
        return this.readDispatch();
      case 0x3a /* : */:
        return this.readKeyword();
      default:
        if (c >= ZERO && c <= NINE) return this.readNumber();
        return this.readAtom();
    }
  }

  private readSeq(close: number): EdnValue[] {
    const start = this.line;
    const items: EdnValue[] = [];
    const lines = this.depth === 0 ? this.itemLines : undefined;
    this.depth++;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) {
        this.fail(`unterminated collection, expected "${String.fromCharCode(close)}"`, start);
      }
      if (this.text.charCodeAt(this.pos) === close) {
        this.pos++;
        this.depth--;
        return items;
      }
      const line = this.line;
      const v = this.readForm();
      if (v !== DISCARDED) {
        items.push(v);
        lines?.push(line);
      }
    }
  }

  /** Reads a map's entries as pairs directly (no intermediate list of forms). */
  private readMap(): EdnMap {
    const start = this.line;
    const entries: [EdnValue, EdnValue][] = [];
    let key: EdnValue | typeof NO_KEY = NO_KEY;
    this.depth++;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) this.fail('unterminated collection, expected "}"', start);
      if (this.text.charCodeAt(this.pos) === 0x7d) {
        this.pos++;
        this.depth--;
        if (key !== NO_KEY) this.fail("a map needs an even number of forms", start);
        return new EdnMap(entries);
      }
      const v = this.readForm();
      if (v === DISCARDED) continue;
      if (key === NO_KEY) key = v;
      else {
        entries.push([key, v]);
        key = NO_KEY;
      }
    }
  }

  private readString(): string {
    const t = this.text;
    const start = this.line;
    this.pos++;
    let out = "";
    let from = this.pos;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(from, this.pos);
        this.pos++;
        return out;
      }
      if (c === NL) this.line++;
      if (c === 0x5c) {
        out += t.slice(from, this.pos);
        const e = t[this.pos + 1];
        if (e === "u") {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`bad unicode escape "\\u${hex}" in a string`);
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else if (e !== undefined && e in STRING_ESCAPES) {
          out += STRING_ESCAPES[e];
          this.pos += 2;
        } else {
          this.fail(`bad escape "\\${e ?? ""}" in a string`);
        }
        from = this.pos;
        continue;
      }
      this.pos++;
    }
    return this.fail("unterminated string", start);
  }

  private readChar(): string {
    this.pos++;
    const token = this.readToken();
    if (token.length === 0) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail("a character literal \\ at the end of the input");
      this.pos++;
      return c;
    }
    if (token.length === 1) return token;
    if (token in CHAR_NAMES) return CHAR_NAMES[token];
    if (/^u[0-9a-fA-F]{4}$/.test(token)) return String.fromCharCode(parseInt(token.slice(1), 16));
    return this.fail(`unknown character literal "\\${token}"`);
  }

  private readDispatch(): EdnValue | typeof DISCARDED {
    const next = this.text[this.pos + 1];
    if (next === "{") {
      this.pos += 2;
      return new EdnSet(this.readSeq(0x7d));
    }
    if (next === "_") {
      this.pos += 2;
      this.skipSpace();
      if (this.pos >= this.text.length) this.fail("#_ discards nothing at the end of the input");
      this.readForm();
      return DISCARDED;
    }
    if (next === "#") {
      this.pos += 2;
      const token = this.readToken();
      if (token === "Inf") return Infinity;
      if (token === "-Inf") return -Infinity;
      if (token === "NaN") return NaN;
      return this.fail(`unknown symbolic value "##${token}"`);
    }
    this.pos++;
    const tag = this.readToken();
    if (!/^[A-Za-z]/.test(tag)) this.fail(`unsupported dispatch "#${tag}${next ?? ""}"`);
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail(`tag #${tag} has no value`);
    const v = this.readForm();
    if (v === DISCARDED) return this.fail(`tag #${tag} has no value`);
    return new EdnTagged(tag, v);
  }

  private readToken(): string {
    const t = this.text;
    const start = this.pos;
    let pos = start;
    while (pos < t.length) {
      const c = t.charCodeAt(pos);
      if (c < 128 && ENDS_TOKEN[c] === 1) break;
      pos++;
    }
    this.pos = pos;
    return t.slice(start, pos);
  }

  private readKeyword(): EdnKeyword {
    const token = this.readToken();
    const name = token.slice(1);
    let k = this.keywords.get(name);
    if (k === undefined) {
      if (name.length === 0 || name.startsWith(":")) this.fail(`bad keyword "${token}"`);
      k = new EdnKeyword(name);
      this.keywords.set(name, k);
    }
    return k;
  }

  /** A token that starts with a digit: a plain integer is read from its digits; the rest by {@link number}. */
  private readNumber(): number {
    const t = this.text;
    let pos = this.pos;
    let n = 0;
    while (pos < t.length) {
      const c = t.charCodeAt(pos);
      if (c < ZERO || c > NINE) break;
      n = n * 10 + (c - ZERO);
      pos++;
    }
    const next = pos < t.length ? t.charCodeAt(pos) : 32;
    if (pos - this.pos < 16 && next < 128 && ENDS_TOKEN[next] === 1) {
      this.pos = pos;
      return n;
    }
    return this.number(this.readToken());
  }

  private readAtom(): EdnValue {
    const token = this.readToken();
    if (token.length === 0) this.fail(`unexpected "${this.text[this.pos]}"`);
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    if (/^[+-]?\d/.test(token)) return this.number(token);
    return new EdnSymbol(token);
  }

  private number(token: string): number {
    let m = /^([+-]?\d+)N?$/.exec(token);
    if (m) return Number(m[1]);
    m = /^([+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)M?$/.exec(token);
    if (m) return Number(m[1]);
    m = /^([+-]?\d+)\/(\d+)$/.exec(token);
    if (m && Number(m[2]) !== 0) return Number(m[1]) / Number(m[2]);
    m = /^([+-]?)0[xX]([0-9a-fA-F]+)N?$/.exec(token);
    if (m) return (m[1] === "-" ? -1 : 1) * parseInt(m[2], 16);
    return this.fail(`bad number "${token}"`);
  }
}

const DISCARDED = Symbol("discarded");
const NO_KEY = Symbol("no key");
