import { AsyncLocalStorage } from "node:async_hooks";

// Next.js's server puts AsyncLocalStorage on globalThis before it loads any
// of its own modules, which create their request scopes from it at load
// time. A test that calls route handlers must do the same, first.
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
