import { InputError } from "../../errors/index.js";
import type { EdnValue } from "./edn-value.js";
import { EdnKeyword, EdnList, EdnMap, EdnSet, EdnSymbol, EdnTagged } from "./edn-value.js";

/** A top-level form and the line it starts on. */
export interface EdnForm {
  value: EdnValue;
  /** 1-based line of the form's first character. */
  line: number;
}

const DELIMITERS = new Set([...'()[]{}"\\;,']);
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

/**
 * Reads every top-level EDN form in `text` (nil, booleans, integers incl. `N`, floats incl. `M`, ratios, `##Inf`,
 * `##NaN`, strings, characters, keywords, symbols, lists, vectors, maps, sets, `#_` discards, `;` comments and
 * tagged elements, records included). Big integers become (possibly inexact) numbers.
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
      const value = this.readForm();
      if (value !== DISCARDED) forms.push({ value, line });
    }
  }

  private fail(message: string, line = this.line): never {
    throw new InputError("BAD_EDN", `${this.source} line ${line}: ${message}`, {
      details: { source: this.source, line },
    });
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === "\n") {
        this.line++;
        this.pos++;
      } else if (c === " " || c === "\t" || c === "\r" || c === ",") {
        this.pos++;
      } else if (c === ";") {
        while (this.pos < t.length && t[this.pos] !== "\n") this.pos++;
      } else {
        return;
      }
    }
  }

  /** Reads one form; `#_` yields DISCARDED. */
  private readForm(): EdnValue | typeof DISCARDED {
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case "(":
        this.pos++;
        return new EdnList(this.readSeq(")"));
      case "[":
        this.pos++;
        return this.readSeq("]");
      case "{":
        this.pos++;
        return this.readMap();
      case '"':
        return this.readString();
      case "\\":
        return this.readChar();
      case ")":
      case "]":
      case "}":
        return this.fail(`unexpected "${c}"`);
      case "#":
        return this.readDispatch();
      default:
        return this.readAtom();
    }
  }

  private readSeq(close: string): EdnValue[] {
    const start = this.line;
    const items: EdnValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) this.fail(`unterminated collection, expected "${close}"`, start);
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      const v = this.readForm();
      if (v !== DISCARDED) items.push(v);
    }
  }

  private readMap(): EdnMap {
    const start = this.line;
    const items = this.readSeq("}");
    if (items.length % 2 !== 0) this.fail("a map needs an even number of forms", start);
    const entries: [EdnValue, EdnValue][] = [];
    for (let i = 0; i < items.length; i += 2) entries.push([items[i], items[i + 1]]);
    return new EdnMap(entries);
  }

  private readString(): string {
    const t = this.text;
    const start = this.line;
    this.pos++;
    let out = "";
    let from = this.pos;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '"') {
        out += t.slice(from, this.pos);
        this.pos++;
        return out;
      }
      if (c === "\n") this.line++;
      if (c === "\\") {
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
      return new EdnSet(this.readSeq("}"));
    }
    if (next === "_") {
      this.pos += 2;
      this.skipSpace();
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
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === " " || c === "\n" || c === "\t" || c === "\r" || DELIMITERS.has(c)) break;
      this.pos++;
    }
    return t.slice(start, this.pos);
  }

  private readAtom(): EdnValue {
    const token = this.readToken();
    if (token.length === 0) this.fail(`unexpected "${this.text[this.pos]}"`);
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    if (token.startsWith(":")) {
      const name = token.slice(1);
      if (name.length === 0 || name.startsWith(":")) this.fail(`bad keyword "${token}"`);
      return new EdnKeyword(name);
    }
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
