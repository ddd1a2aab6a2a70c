import { createDb } from "../server/db";
import { parseEnv } from "../server/env";
import { audit } from "../server/retention/audit";
import { takeSnapshot } from "../server/retention/inventory";
import { createObjectStore } from "../server/storage";
import { seedDemoData } from "./seed/demo-data";
import { seedSnapshotHistory } from "./seed/history";
import { createRandom } from "./seed/random";
import { DEMO_USERS, seedUsers } from "./seed/users";

/**
 * Idempotent: users that exist are left alone, and the demo dataset is
 * created only into a database without organizations. Running it twice
 * changes nothing.
 */
export async function seed(
  options: { env?: Record<string, string>; log?: (line: string) => void } = {},
) {
  const env = parseEnv({ ...process.env, ...options.env });
  const log = options.log ?? console.log;
  const db = createDb(env.DATABASE_URL);
  try {
    await seedUsers(db);
    if ((await db.organization.count()) > 0) {
      log("Demo data already present: nothing to seed.");
      return;
    }
    const started = Date.now();
    const admin = await db.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0]?.email ?? "" } });
    const orgCount = await seedDemoData({
      db,
      store: createObjectStore(env),
      random: createRandom(20261122),
      now: new Date(),
      adminId: admin.id,
    });
    await seedSnapshotHistory(db);
    await takeSnapshot(db, new Date(), null);
    for (const hold of await db.legalHold.findMany({ orderBy: { id: "asc" } })) {
      await audit(db, {
        actor: { id: admin.id },
        action: "hold.placed",
        orgId: hold.orgId,
        target: `hold:${hold.id}`,
        details: { scope: hold.scope, incidentId: hold.incidentId, artifactId: hold.artifactId },
      });
    }
    log(
      `Seeded ${orgCount} demo organizations in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await db.$disconnect();
  }
}

const invokedDirectly = process.argv[1]?.endsWith("seed.ts");
if (invokedDirectly) {
  if (process.env.NODE_ENV === "production" && !process.argv.includes("--force")) {
    console.error(
      "Refusing to seed demo data into a production database (pass --force if you mean it).",
    );
    process.exit(1);
  }
  seed().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
