/**
 * A JSON reader that behaves like Go's `encoding/json` `Decoder.Decode` as Toxiproxy uses it: it reads the
 * **first** JSON value of a body and ignores what follows, keeps number literals as written (so an integer field
 * can reject `100.5` the way Go does), and reports errors with Go's wording (`EOF`, `unexpected EOF`,
 * `invalid character 'x' looking for beginning of value`). `JSON.parse` can do none of the three.
 */

/** A parsed JSON value that keeps number literals and object key order (duplicates included). */
export type JsonNode =
  | { readonly t: "null" }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "num"; readonly raw: string }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "arr"; readonly items: readonly JsonNode[] }
  | { readonly t: "obj"; readonly entries: readonly (readonly [string, JsonNode])[] };

/** A decoding failure; `message` is the Go error text that follows `bad request body: `. */
export class GoJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GoJsonError";
  }
}

/** Parses the first JSON value in `text`; trailing bytes are ignored, as Go's streaming decoder does. */
export function parseFirstJsonValue(text: string): JsonNode {
  const p = new Reader(text);
  p.skipSpace();
  if (p.i >= text.length) throw new GoJsonError("EOF");
  return p.value(0);
}

const MAX_DEPTH = 10_000;

class Reader {
  i = 0;
  constructor(private readonly s: string) {}

  skipSpace(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  private bad(context: string): never {
    if (this.i >= this.s.length) throw new GoJsonError("unexpected EOF");
    throw new GoJsonError(`invalid character ${quoteChar(this.s, this.i)} ${context}`);
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new GoJsonError("exceeded max depth");
    this.skipSpace();
    const c = this.s[this.i];
    switch (c) {
      case "{":
        return this.object(depth);
      case "[":
        return this.array(depth);
      case '"':
        return { t: "str", v: this.string() };
      case "t":
        this.literal("true");
        return { t: "bool", v: true };
      case "f":
        this.literal("false");
        return { t: "bool", v: false };
      case "n":
        this.literal("null");
        return { t: "null" };
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return { t: "num", raw: this.number() };
        return this.bad("looking for beginning of value");
    }
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.s[this.i] !== word[k]) {
        this.bad(`in literal ${word} (expecting '${word[k]}')`);
      }
      this.i++;
    }
  }

  private number(): string {
    const start = this.i;
    const s = this.s;
    const digit = (): boolean => this.i < s.length && s[this.i]! >= "0" && s[this.i]! <= "9";
    if (s[this.i] === "-") {
      this.i++;
      if (!digit()) this.bad("in numeric literal");
    }
    if (s[this.i] === "0") this.i++;
    else while (digit()) this.i++;
    if (s[this.i] === ".") {
      this.i++;
      if (!digit()) this.bad("after decimal point in numeric literal");
      while (digit()) this.i++;
    }
    if (s[this.i] === "e" || s[this.i] === "E") {
      this.i++;
      if (s[this.i] === "+" || s[this.i] === "-") this.i++;
      if (!digit()) this.bad("in exponent of numeric literal");
      while (digit()) this.i++;
    }
    return s.slice(start, this.i);
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = "";
    let run = this.i;
    while (true) {
      if (this.i >= s.length) throw new GoJsonError("unexpected EOF");
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(run, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.bad("in string literal");
      if (c === 0x5c) {
        out += s.slice(run, this.i);
        this.i++;
        const e = s[this.i];
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.i++;
        } else if (e === "u") {
          const hex = s.slice(this.i + 1, this.i + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.i++;
            while (this.i < s.length && /[0-9a-fA-F]/.test(s[this.i]!)) this.i++;
            this.bad("in \\u hexadecimal character escape");
          }
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 5;
        } else {
          this.bad("in string escape code");
        }
        run = this.i;
        continue;
      }
      this.i++;
    }
  }

  private array(depth: number): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.s[this.i] === "]") {
      this.i++;
      return { t: "arr", items };
    }
    while (true) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "]") {
        this.i++;
        return { t: "arr", items };
      }
      this.bad("after array element");
    }
  }

  private object(depth: number): JsonNode {
    this.i++;
    const entries: [string, JsonNode][] = [];
    this.skipSpace();
    if (this.s[this.i] === "}") {
      this.i++;
      return { t: "obj", entries };
    }
    while (true) {
      this.skipSpace();
      if (this.s[this.i] !== '"') this.bad("looking for beginning of object key string");
      const key = this.string();
      this.skipSpace();
      if (this.s[this.i] !== ":") this.bad("after object key");
      this.i++;
      entries.push([key, this.value(depth + 1)]);
      this.skipSpace();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "}") {
        this.i++;
        return { t: "obj", entries };
      }
      this.bad("after object key:value pair");
    }
  }
}

function quoteChar(s: string, i: number): string {
  const cp = s.codePointAt(i) ?? 0;
  const ch = String.fromCodePoint(cp);
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  if (cp < 0x20) return `'\\x${cp.toString(16).padStart(2, "0")}'`;
  return `'${ch}'`;
}

/** Go's name for a JSON node's kind in `cannot unmarshal <kind> into …` messages. */
export function goKindName(node: JsonNode): string {
  switch (node.t) {
    case "null":
      return "null";
    case "bool":
      return "bool";
    case "num":
      return `number ${node.raw}`;
    case "str":
      return "string";
    case "arr":
      return "array";
    case "obj":
      return "object";
  }
}
