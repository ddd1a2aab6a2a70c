import { inspect } from "node:util";

/**
 * Runs a command-line tool's `main`. What the tool reports it prints to
 * stdout itself (a token to pipe, a table to read); a failure is one line on
 * stderr for the person at the terminal, and exit code 1. LOG_LEVEL=debug
 * adds the error's stack and cause.
 */
export function runCli(main: () => Promise<unknown>) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.LOG_LEVEL === "debug" || process.env.LOG_LEVEL === "trace")
      process.stderr.write(`${inspect(error, { depth: 6 })}\n`);
    process.exit(1);
  });
}
