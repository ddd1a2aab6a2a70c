/**
 * Runs once when the server starts: a bad variable fails fast, by name, and
 * a production deployment that is not safe to serve refuses to start.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { db } = await import("./server/db");
    const { envOrRefuse, refuseToStartIfUnsafe } = await import("./server/startup-checks");
    await refuseToStartIfUnsafe(envOrRefuse("server"), db(), "server");
  }
}
