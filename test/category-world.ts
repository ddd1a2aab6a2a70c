import { builders } from "./builders";
import { createTestEngine } from "./engine";

/** An engine on a database of its own, builders for its rows, and a look into its store. */
export async function categoryWorld() {
  const t = await createTestEngine();
  const b = builders(t.engine.db, t.engine.store);
  const exists = async (key: string) => (await t.engine.store.head(key)) !== null;
  return { t, b, exists };
}

export type CategoryWorld = Awaited<ReturnType<typeof categoryWorld>>;
