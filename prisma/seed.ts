import { DEMO_EMAILS } from "../server/accounts/demo-accounts";
import { createDb, type Db } from "../server/db";
import { parseEnv } from "../server/env";
import { audit } from "../server/retention/evidence/audit-log";
import { takeSnapshot } from "../server/retention/evidence/storage-snapshots";
import { createObjectStore } from "../server/storage";
import { seedDemoData } from "./seed/demo-data";
import { DEMO_ORGS } from "./seed/demo-orgs";
import { seedSnapshotHistory } from "./seed/history";
import { createRandom } from "./seed/random";
import { DEMO_USERS, seedUsers } from "./seed/users";

const EMPTY_DATABASE_ONLY =
  "The demo (its data and its logins with published passwords) goes only into an empty database: " +
  "point DATABASE_URL at one, or unset it to use the embedded database.";

/**
 * Why the demo must not go into this database, or null: it goes only into
 * a database without organizations, or with the demo's own (by their slugs);
 * and its logins only where people have no accounts yet, or beside the
 * demo's own (a deployment whose first admin exists is someone's real one).
 */
export async function demoRefusal(db: Db, withUsers = true): Promise<string | null> {
  const foreign = await db.organization.count({
    where: { slug: { notIn: DEMO_ORGS.map((o) => o.slug) } },
  });
  if (foreign > 0)
    return `Refusing to seed the demo: this database holds ${foreign} organizations that are not the demo's. ${EMPTY_DATABASE_ONLY}`;
  if (!withUsers) return null;
  const [own, demo] = await Promise.all([
    db.user.count({ where: { email: { notIn: [...DEMO_EMAILS] } } }),
    db.user.count({ where: { email: { in: [...DEMO_EMAILS] } } }),
  ]);
  if (own === 0 || demo > 0) return null;
  return `Refusing to seed the demo: this database has ${own} ${own === 1 ? "account" : "accounts"} of its own. ${EMPTY_DATABASE_ONLY}`;
}

/**
 * The demo: its four users (unless `users` is false, when `placedBy` names
 * the admin who placed its legal holds) and its dataset. Idempotent: users
 * that exist are left alone, and the dataset is created only into a
 * database without organizations. Refuses a database with organizations
 * of its own, changing nothing.
 */
export async function seed(
  options: {
    env?: Record<string, string>;
    log?: (line: string) => void;
    users?: boolean;
    placedBy?: number;
  } = {},
) {
  const env = parseEnv({ ...process.env, ...options.env });
  const log = options.log ?? console.log;
  const db = createDb(env.DATABASE_URL);
  try {
    const refusal = await demoRefusal(db, options.users !== false);
    if (refusal) throw new Error(refusal);
    if (options.users !== false) {
      const created = await seedUsers(db);
      if (created.length > 0)
        log(
          `Created the demo logins ${created.join(", ")}: their passwords are in the README, so a production server or worker refuses to start while one is enabled, and a production server refuses their sign-in.`,
        );
    }
    if ((await db.organization.count()) > 0) {
      log("Demo data already present: nothing to seed.");
      return;
    }
    const started = Date.now();
    const adminId =
      options.placedBy ??
      (await db.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0]?.email ?? "" } })).id;
    const orgCount = await seedDemoData({
      db,
      store: createObjectStore(env),
      random: createRandom(20261122),
      now: new Date(),
      adminId,
    });
    await seedSnapshotHistory(db);
    await takeSnapshot(db, new Date(), null);
    for (const hold of await db.legalHold.findMany({ orderBy: { id: "asc" } })) {
      await audit(db, {
        actor: { id: adminId },
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
  if (process.env.NODE_ENV === "production") {
    console.error(
      "Refusing to seed the demo into a production database: its logins have published passwords.",
    );
    process.exit(1);
  }
  seed().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
