/** Validates the environment when the server starts: a bad variable fails fast, by name. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { env } = await import("./server/env");
    env();
  }
}
