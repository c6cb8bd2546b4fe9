// dependency-cruiser's configuration (`npm run deps:check`, part of `npm test`): no import cycle, between modules
// or between folders. scripts/check-dependencies.mjs runs the cruise with these rules and adds the folder check
// dependency-cruiser has no rule for (cycles between the children of every folder, top level included).

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "A module must not reach itself through its imports (type-only imports count: they couple too).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-cycle",
      comment:
        "Folders must not import each other in a cycle (dependency-cruiser's view: the folders holding modules).",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|store|coverage)/" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs"] },
  },
};

/**
 * Folder cycles known today, each allowed until the change that removes it; any other cycle fails, and so does an
 * entry here that no longer matches a cycle (delete it then). An entry covers a cycle in its folder whose members
 * are all among its own.
 *
 * @type {import('./scripts/folder-cycles.ts').KnownCycle[]}
 */
export const knownFolderCycles = [];
