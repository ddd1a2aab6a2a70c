import { builders } from "./builders";
import { createTestEngine } from "./engine";

/** An engine on a database of its own, builders for its rows, and an admin who sets overrides and holds. */
export async function forecastWorld() {
  const t = await createTestEngine();
  const b = builders(t.engine.db, t.engine.store);
  const user = await b.user("ADMIN");
  const admin = { id: user.id, email: user.email, name: user.name, role: "ADMIN" as const };
  return { t, b, admin };
}

export type ForecastWorld = Awaited<ReturnType<typeof forecastWorld>>;
