import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/roles";
import type { Db } from "../db";
import { AppError } from "../errors";
import {
  adminProcedure,
  createCallerFactory,
  operatorProcedure,
  router,
  viewerProcedure,
} from "./init";

// A router of one procedure per tier: what the tiers themselves enforce,
// independent of any feature built on them.
const tiers = router({
  read: viewerProcedure.query(() => "read"),
  purge: operatorProcedure.mutation(() => "purged"),
  govern: adminProcedure.mutation(() => "governed"),
  refuse: viewerProcedure.query(() => {
    throw new AppError("PLAN_EXPIRED", "This preview expired: run a fresh dry run.");
  }),
});
const call = createCallerFactory(tiers);

const user = (role: SessionUser["role"]): SessionUser => ({
  id: 1,
  email: `${role}@x`,
  name: role,
  role,
});
const caller = (u: SessionUser | null) =>
  call({
    db: {} as Db,
    engine: () => Promise.reject(new Error("unused")),
    afterResponse: () => {},
    user: u,
  });

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : "NOT_A_TRPC_ERROR";
  }
}

describe("procedure tiers", () => {
  it("refuses anonymous callers with UNAUTHORIZED", async () => {
    expect(await codeOf(caller(null).read())).toBe("UNAUTHORIZED");
  });

  it("refuses a viewer an operator procedure with FORBIDDEN, and names the role needed", async () => {
    expect(await codeOf(caller(user("VIEWER")).purge())).toBe("FORBIDDEN");
    await expect(caller(user("VIEWER")).purge()).rejects.toThrow(
      /needs the OPERATOR role; you are signed in as VIEWER/,
    );
  });

  it("lets each role do what its tier allows, and no more", async () => {
    expect(await codeOf(caller(user("VIEWER")).read())).toBe("OK");
    expect(await codeOf(caller(user("OPERATOR")).purge())).toBe("OK");
    expect(await codeOf(caller(user("OPERATOR")).govern())).toBe("FORBIDDEN");
    expect(await codeOf(caller(user("ADMIN")).govern())).toBe("OK");
  });

  it("maps the domain's AppError to a tRPC code with its message intact", async () => {
    expect(await codeOf(caller(user("VIEWER")).refuse())).toBe("PRECONDITION_FAILED");
    await expect(caller(user("VIEWER")).refuse()).rejects.toThrow(
      "This preview expired: run a fresh dry run.",
    );
  });
});
