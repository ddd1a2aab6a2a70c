import nextPlugin from "@next/eslint-plugin-next";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// eslint-config-next, minus eslint-plugin-import: its resolver's native
// bindings for other platforms are missing from this registry, which makes
// the lockfile fail `npm ci`.
export default tseslint.config(
  {
    ignores: [
      ".next/**",
      ".lethe/**",
      "node_modules/**",
      "server/generated/**",
      "playwright-report/**",
      "test-results/**",
      "e2e/screenshots/**",
      "next-env.d.ts",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    plugins: { react, "react-hooks": reactHooks, "jsx-a11y": jsxA11y, "@next/next": nextPlugin },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react/prop-types": "off",
      // A scrolling region (a wide table) is focusable so a keyboard can scroll it.
      "jsx-a11y/no-noninteractive-tabindex": ["error", { roles: ["tabpanel", "region"] }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The retention core is driven from tests, scripts, cron and tRPC alike,
    // and the console's read models from tRPC and route handlers: neither
    // reaches up into the web framework.
    files: ["server/retention/**/*.ts", "server/console/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: ["next", "next/*", "react", "react-dom", "@trpc/*", "next-auth", "next-auth/*"],
        },
      ],
    },
  },
  {
    // A router checks the role, parses input and calls one domain or read-model
    // function: its queries live in server/console/ (reads) or the domain (writes).
    files: ["server/trpc/routers/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.type='MemberExpression'][object.property.name='db']",
          message:
            "No Prisma in a router: call a read model in server/console/ or a domain function.",
        },
        {
          selector: "Identifier[name=/^\\$(queryRaw|executeRaw|transaction)/]",
          message:
            "No Prisma in a router: call a read model in server/console/ or a domain function.",
        },
      ],
      "no-restricted-imports": [
        "error",
        { patterns: ["**/db", "**/retention/sql", "**/generated/prisma/client"] },
      ],
    },
  },
);
