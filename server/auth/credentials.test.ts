import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { authorizeCredentials } from "./options";
import { hashPassword } from "./password";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.user.create({
    data: {
      email: "op@lethe.dev",
      name: "Op",
      role: "OPERATOR",
      passwordHash: await hashPassword("right-password"),
    },
  });
  await database.db.user.create({
    data: {
      email: "gone@lethe.dev",
      name: "Gone",
      role: "ADMIN",
      passwordHash: await hashPassword("right-password"),
      disabledAt: new Date(),
    },
  });
});
afterAll(() => database.drop());

describe("credentials sign-in", () => {
  it("accepts the right email and password, case-insensitively on the email", async () => {
    const user = await authorizeCredentials(database.db, {
      email: " OP@lethe.dev ",
      password: "right-password",
    });
    expect(user?.email).toBe("op@lethe.dev");
  });

  it("refuses a wrong password and an unknown email alike, saying nothing about which", async () => {
    expect(
      await authorizeCredentials(database.db, { email: "op@lethe.dev", password: "wrong" }),
    ).toBeNull();
    expect(
      await authorizeCredentials(database.db, {
        email: "nobody@lethe.dev",
        password: "right-password",
      }),
    ).toBeNull();
  });

  it("refuses a disabled account and malformed input", async () => {
    expect(
      await authorizeCredentials(database.db, {
        email: "gone@lethe.dev",
        password: "right-password",
      }),
    ).toBeNull();
    expect(await authorizeCredentials(database.db, { email: 42 })).toBeNull();
  });
});
