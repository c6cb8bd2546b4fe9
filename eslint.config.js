// Flat ESLint config: typescript-eslint with type information, so floating and misused promises are errors
// (an unawaited promise in a fault injector is a leaked fault or a lost history line).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "store/**",
      "coverage/**",
      "**/*.d.ts",
      "harness/report/assets/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // The proxy's draws (toxicity, jitter, slicer cuts, refuse) come from the run's seed (toxic-draws.ts), so a
    // replay replays its faults: no unseeded randomness in the proxy.
    files: ["nemesis/proxy/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "Math",
          property: "random",
          message: "draw from the seeded ToxicDraws (nemesis/proxy/toxic-draws.ts) so a replay replays it",
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "node:crypto",
              importNames: ["randomInt", "randomUUID", "getRandomValues"],
              message:
                "draw from the seeded ToxicDraws (nemesis/proxy/toxic-draws.ts) so a replay replays it",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly" },
    },
  },
);
