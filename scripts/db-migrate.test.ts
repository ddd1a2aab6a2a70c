import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { runAs } from "@/test/database";
import { runScript } from "@/test/run-script";

/** `npm run db:migrate` as an operator runs it, with only `env` set. */
const migrate = (env: Record<string, string>) =>
  runScript("scripts/db-migrate.ts", [], { NODE_ENV: "test", ...env });

const name = `lethe_m_${randomBytes(6).toString("hex")}`;
let appUrl: URL;
beforeAll(async () => {
  await runAs(inject("pgServerUrl"), `CREATE DATABASE ${name}`);
  appUrl = new URL(inject("pgServerUrl"));
  appUrl.pathname = `/${name}`;
  appUrl.username = inject("pgAppRole").user;
  appUrl.password = inject("pgAppRole").password;
});
afterAll(() => runAs(inject("pgServerUrl"), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

describe("npm run db:migrate, given the wrong URLs", () => {
  it("says in one line that the app's role cannot run migrations, not Prisma's whole output", () => {
    const run = migrate({
      DATABASE_URL: appUrl.toString(),
      MIGRATION_DATABASE_URL: appUrl.toString(),
    });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `The role "${appUrl.username}" of MIGRATION_DATABASE_URL may not create or change Lethe's tables: migrations run as the database's owner (README: Production, steps 1 and 2).\n`,
    );
  });

  it("refuses two URLs that name different databases, before touching either", async () => {
    const other = new URL(appUrl);
    other.pathname = "/lethe_elsewhere";
    const run = migrate({
      DATABASE_URL: other.toString(),
      MIGRATION_DATABASE_URL: inject("pgServerUrl").replace(/\/[^/]*$/, `/${name}`),
    });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `DATABASE_URL names the database "lethe_elsewhere" and MIGRATION_DATABASE_URL "${name}": both must name the one database Lethe governs, as two roles. Nothing was changed.\n`,
    );
    const { rows } = await runAs(
      appUrl.toString(),
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(rows[0]).toEqual({ n: 0 });
  });
});
