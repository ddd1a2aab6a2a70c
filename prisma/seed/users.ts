import type { Db } from "../../server/db";
import { hashPassword } from "../../server/auth/password";
import type { Role } from "../../server/generated/prisma/enums";

/** The demo logins `npm run dev` prints. Two admins, so GDPR erasure can be approved by a second one. */
export const DEMO_USERS: { email: string; name: string; role: Role; password: string }[] = [
  { email: "admin@lethe.dev", name: "Ada Admin", role: "ADMIN", password: "lethe-admin" },
  {
    email: "admin2@lethe.dev",
    name: "Grace Second-Admin",
    role: "ADMIN",
    password: "lethe-admin2",
  },
  {
    email: "operator@lethe.dev",
    name: "Otto Operator",
    role: "OPERATOR",
    password: "lethe-operator",
  },
  { email: "viewer@lethe.dev", name: "Vera Viewer", role: "VIEWER", password: "lethe-viewer" },
];

/** Creates the demo users that are missing, and returns their emails; existing users are left exactly as they are. */
export async function seedUsers(db: Db) {
  const created: string[] = [];
  for (const user of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { email: user.email } });
    if (existing) continue;
    await db.user.create({
      data: {
        email: user.email,
        name: user.name,
        role: user.role,
        passwordHash: await hashPassword(user.password),
      },
    });
    created.push(user.email);
  }
  return created;
}
