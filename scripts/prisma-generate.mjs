// `prisma generate` reads the schema's datasource URL even though it never
// connects; on a fresh install DATABASE_URL is usually unset, so give it a
// placeholder. The generated client takes the real URL at run time.
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
execFileSync(
  process.execPath,
  [path.join(root, "node_modules", "prisma", "build", "index.js"), "generate"],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://generate:only@127.0.0.1:5432/none",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  },
);
