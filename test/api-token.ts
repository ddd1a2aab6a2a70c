import { createApiToken } from "../server/auth/api-tokens";
import type { Db } from "../server/db";
import type { ApiTokenScope } from "../server/generated/prisma/enums";

/** An Authorization header with a new API token of `userId`, of `scope`. */
export async function bearer(db: Db, userId: number, scope: ApiTokenScope = "READ") {
  const { token } = await createApiToken(db, {
    actor: "system",
    via: "cli",
    userId,
    token: { name: `test ${scope.toLowerCase()}`, scope },
  });
  return { authorization: `Bearer ${token}` };
}
