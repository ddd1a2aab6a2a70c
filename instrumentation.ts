/**
 * Runs once when the server starts: a bad variable fails fast, by name; a
 * server without what sessions need (any NODE_ENV), or a production
 * deployment that is not safe to serve, refuses to start.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { db } = await import("./server/db");
    const { webServerProblems } = await import("./server/auth/server-settings");
    const { envOrRefuse, refuseToStart, refuseToStartIfUnsafe } =
      await import("./server/startup-checks");
    const env = envOrRefuse("server");
    refuseToStart("server", webServerProblems(env));
    await refuseToStartIfUnsafe(env, db(), "server");
  }
}
