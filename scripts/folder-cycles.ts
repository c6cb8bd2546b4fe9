/**
 * Import cycles between folders, at every level: for each folder, its children (sub-folders and files) must import
 * each other without a cycle. At the root that says the top-level folders form a DAG (no `harness` ↔ `nemesis`);
 * inside `harness` that `backends` and `redis` do not import each other both ways; inside a folder of files that
 * no two files do. A module-level cycle is always one of these (at the deepest folder holding both ends), so this
 * check includes dependency-cruiser's `no-circular` and adds the cycles no single chain of modules shows, such as
 * `a/x → b/y` plus `b/z → a/w`. Pure: the import edges in, the cycles out.
 */

/** An import from one module to another, paths relative to the repository root with `/` separators. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** Imports from one member of a cycle to another. */
export interface CycleLink {
  readonly from: string;
  readonly to: string;
  /** How many module imports make this link. */
  readonly count: number;
  /** A few of them, `importer -> imported`, sorted. */
  readonly examples: readonly string[];
}

/** A set of children of one folder that import each other in a cycle (a strongly connected component). */
export interface FolderCycle {
  /** The folder (`.` for the repository root). */
  readonly folder: string;
  /** The children in the cycle (a sub-folder's or file's name), sorted. */
  readonly members: readonly string[];
  /** Every import between two members, sorted by (from, to). */
  readonly links: readonly CycleLink[];
}

/** At most this many example imports are kept per link. */
const EXAMPLES = 3;

/**
 * Every cycle between the children of a folder, sorted by folder then members.
 *
 * @example
 * folderCycles([
 *   { from: "harness/config/schema.ts", to: "nemesis/schedule/index.ts" },
 *   { from: "nemesis/schedule/parse.ts", to: "harness/errors/index.ts" },
 * ]);
 * // [{ folder: ".", members: ["harness", "nemesis"], links: [...] }]
 */
export function folderCycles(edges: readonly ImportEdge[]): FolderCycle[] {
  // folder → child → child → module imports making that link
  const byFolder = new Map<string, Map<string, Map<string, string[]>>>();
  for (const { from, to } of edges) {
    const a = from.split("/");
    const b = to.split("/");
    let i = 0;
    while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
    const childA = a[i]!;
    const childB = b[i]!;
    if (childA === childB) continue; // a module importing itself
    const folder = a.slice(0, i).join("/") || ".";
    const children = getOrSet(byFolder, folder, () => new Map<string, Map<string, string[]>>());
    const targets = getOrSet(children, childA, () => new Map<string, string[]>());
    getOrSet(targets, childB, () => []).push(`${from} -> ${to}`);
  }
  const out: FolderCycle[] = [];
  for (const [folder, graph] of byFolder) {
    for (const members of stronglyConnected(graph)) {
      const set = new Set(members);
      const links: CycleLink[] = [];
      for (const from of members) {
        for (const [to, imports] of graph.get(from) ?? []) {
          if (!set.has(to)) continue;
          const sorted = [...imports].sort();
          links.push({ from, to, count: sorted.length, examples: sorted.slice(0, EXAMPLES) });
        }
      }
      links.sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to));
      out.push({ folder, members, links });
    }
  }
  return out.sort((x, y) => compare(x.folder, y.folder) || compare(x.members.join(), y.members.join()));
}

/** A known cycle, allowed until it is fixed: a folder and the members it may (at most) span. */
export interface KnownCycle {
  readonly folder: string;
  readonly members: readonly string[];
  /** Why it is still there and who removes it. */
  readonly reason?: string;
}

/** Whether `known` covers `cycle`: same folder, and no member outside the known ones. */
export function covers(known: KnownCycle, cycle: FolderCycle): boolean {
  return known.folder === cycle.folder && cycle.members.every((m) => known.members.includes(m));
}

/** The cycles no known entry covers, and the known entries that no longer cover any cycle (to be deleted). */
export function compareWithKnown(
  cycles: readonly FolderCycle[],
  known: readonly KnownCycle[],
): { fresh: FolderCycle[]; stale: KnownCycle[] } {
  return {
    fresh: cycles.filter((c) => !known.some((k) => covers(k, c))),
    stale: known.filter((k) => !cycles.some((c) => covers(k, c))),
  };
}

/** Renders cycles for a terminal, one block per cycle. */
export function describeCycles(cycles: readonly FolderCycle[]): string {
  return cycles
    .map((c) => {
      const lines = [`  in ${c.folder === "." ? "the top level" : `${c.folder}/`}: ${c.members.join(" ↔ ")}`];
      for (const l of c.links) {
        lines.push(`    ${l.from} → ${l.to} (${l.count} import${l.count === 1 ? "" : "s"}), e.g.`);
        for (const e of l.examples) lines.push(`      ${e}`);
      }
      return lines.join("\n");
    })
    .join("\n");
}

/** Tarjan's algorithm; returns the components of two or more nodes, each sorted. */
function stronglyConnected(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const nodes = new Set<string>();
  for (const [from, targets] of graph) {
    nodes.add(from);
    for (const to of targets.keys()) nodes.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return components;
}

function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
