import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/roles";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { callHttp, procedureAt } from "@/test/trpc-http";
import { open } from "../retention/notices/secret-box";

let t: TestEngine;
const people = {} as Record<"VIEWER" | "ADMIN", SessionUser>;
let orgId: number;
beforeAll(async () => {
  t = await createTestEngine({});
  // Plain http and private addresses are for tests and local receivers only: these tests ask as production does.
  t.engine.notices = { ...t.engine.notices!, allowHttp: false, allowPrivateAddresses: false };
  const b = builders(t.engine.db, t.engine.store);
  for (const role of ["VIEWER", "ADMIN"] as const) {
    const { id, email, name } = await b.user(role);
    people[role] = { id, email, name, role };
  }
  orgId = (await b.org("AGENCY")).id;
});
afterAll(() => t.close());

const save = (who: SessionUser, input: object) =>
  callHttp(t.engine, who, procedureAt("notices.save"), input);
const good = () => ({
  orgId,
  webhookUrl: "https://hooks.example.com/lethe",
  recipients: ["Ops@Example.com", "ops@example.com", "cfo@example.com"],
  leadDays: 10,
});
const stored = () => t.engine.db.noticeSettings.findUnique({ where: { orgId } });
const audited = () =>
  t.engine.db.auditEntry.count({ where: { action: { startsWith: "notices." } } });

/** Hosts inside a network, each with how the refusal names it (the URL parser normalises the IPv4 forms). */
const privateEndpoints: [string, RegExp][] = [
  [
    "https://169.254.169.254/latest/meta-data/",
    /public host.*169\.254\.169\.254 is a private address \(link-local\)/,
  ],
  ["https://10.0.0.5/hooks", /10\.0\.0\.5 is a private address \(private network\)/],
  ["https://172.16.3.4/", /private network/],
  ["https://192.168.1.1:8443/", /private network/],
  ["https://127.0.0.1/", /127\.0\.0\.1 is a private address \(loopback\)/],
  ["https://2130706433/", /127\.0\.0\.1 is a private address \(loopback\)/],
  ["https://0x7f.1/", /127\.0\.0\.1 is a private address \(loopback\)/],
  ["https://0177.0.0.1/", /127\.0\.0\.1 is a private address \(loopback\)/],
  ["https://0.0.0.0/", /unspecified/],
  ["https://100.64.0.1/", /carrier-grade NAT/],
  ["https://198.18.0.1/", /reserved or documentation/],
  ["https://192.0.2.10/", /reserved or documentation/],
  ["https://224.0.0.1/", /multicast/],
  ["https://localhost/", /localhost is this machine/],
  ["https://LocalHost./", /localhost is this machine/],
  ["https://metadata.localhost/", /metadata\.localhost is this machine/],
  ["https://[::1]/", /::1 is a private address \(loopback\)/],
  ["https://[::]/", /unspecified/],
  ["https://[::ffff:127.0.0.1]/", /::ffff:7f00:1 is a private address \(loopback\)/],
  ["https://[::ffff:169.254.169.254]/", /link-local/],
  ["https://[::127.0.0.1]/", /IPv4-compatible/],
  ["https://[64:ff9b::a00:5]/", /special-purpose/],
  ["https://[fd00::1]/", /unique-local/],
  ["https://[fe80::1]/", /link-local/],
  ["https://[ff02::1]/", /multicast/],
  ["https://[2001:db8::1]/", /reserved or documentation/],
];

describe("notice settings over tRPC", () => {
  it("an ADMIN sets them: the secret is shown once, sealed at rest, never read back; addresses deduplicated; audited without them", async () => {
    const saved = await save(people.ADMIN, good());
    expect(saved.status).toBe(200);
    const secret = (saved.data as { newSecret: { secret: string } }).newSecret.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const row = await stored();
    expect(row?.recipients).toEqual(["ops@example.com", "cfo@example.com"]);
    expect(Buffer.from(row!.sealedSecret!).toString("latin1")).not.toContain(secret.slice(6));
    expect(open(t.engine.notices!.secretKey(), orgId, row!.sealedSecret!)).toBe(secret);

    const read = await callHttp(t.engine, people.VIEWER, procedureAt("notices.settings"), {
      orgId,
    });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.data)).not.toContain(secret.slice(6));
    expect(read.data).toMatchObject({ leadDays: 10, secret: { createdAt: expect.any(Date) } });
    // Where it points, not the path a receiver's token may hide in: that is an admin's to read.
    expect(read.data).toMatchObject({ webhookUrl: "https://hooks.example.com/…" });
    const asAdmin = await callHttp(t.engine, people.ADMIN, procedureAt("notices.settings"), {
      orgId,
    });
    expect(asAdmin.data).toMatchObject({ webhookUrl: "https://hooks.example.com/lethe" });

    // Saved again: the same secret keeps signing, none is shown.
    const again = await save(people.ADMIN, good());
    expect((again.data as { newSecret: unknown }).newSecret).toBeNull();
    const rotated = await callHttp(t.engine, people.ADMIN, procedureAt("notices.rotateSecret"), {
      orgId,
    });
    expect((rotated.data as { secret: string }).secret).not.toBe(secret);

    const entries = await t.engine.db.auditEntry.findMany({
      where: { action: { startsWith: "notices." } },
    });
    expect(entries.map((e) => e.action)).toEqual([
      "notices.settings.saved",
      "notices.settings.saved",
      "notices.secret.rotated",
    ]);
    expect(JSON.stringify(entries.map((e) => [e.target, e.details]))).not.toMatch(
      /example\.com|whsec_/,
    );
    expect(entries[0]?.details).toMatchObject({ recipients: 2, leadDays: 10 });
  });

  it("a VIEWER cannot change them", async () => {
    const before = await stored();
    const answer = await save(people.VIEWER, { ...good(), leadDays: 3 });
    expect(answer.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it.each<[string, unknown, RegExp]>([
    ["webhookUrl", "http://hooks.example.com/lethe", /https:\/\/ URL/],
    ["webhookUrl", "not a url", /must be a URL/],
    ["webhookUrl", "ftp://hooks.example.com/x", /must be a URL/],
    ["webhookUrl", "https://user:pw@hooks.example.com/x", /user name or password/],
    ["webhookUrl", `https://hooks.example.com/${"a".repeat(2000)}`, /2,000 characters/],
    ...privateEndpoints.map(([url, why]): [string, unknown, RegExp] => ["webhookUrl", url, why]),
    ["recipients", Array.from({ length: 21 }, (_, i) => `r${i}@example.com`), /at most 20/],
    ["recipients", ["not-an-address"], /email address/],
    ["leadDays", 0, /at least 1 day/],
    ["leadDays", 31, /at most 30 days/],
    ["leadDays", 2.5, /whole number/],
  ])("refuses %s = %j with a 400 naming it, and changes nothing", async (field, value, why) => {
    const before = await stored();
    const audits = await audited();
    const answer = await save(people.ADMIN, { ...good(), [field]: value });
    expect(answer.status).toBe(400);
    expect(answer.message).toContain(field);
    expect(answer.message).toMatch(why);
    expect(await stored()).toEqual(before);
    expect(await audited()).toBe(audits);
  });

  it.each([
    "https://93.184.216.34/hooks",
    "https://[2606:4700:4700::1111]/hooks",
    "https://8.8.8.8:8443/lethe",
    "https://hooks.example.com/lethe",
  ])("accepts the public endpoint %s", async (url) => {
    const answer = await save(people.ADMIN, { ...good(), webhookUrl: url });
    expect(answer.status).toBe(200);
    expect((await stored())?.webhookUrl).toBe(url);
  });

  it("21 addresses that are 20 once deduplicated are accepted", async () => {
    const list = [...Array.from({ length: 20 }, (_, i) => `r${i}@example.com`), "R0@example.com"];
    const answer = await save(people.ADMIN, { ...good(), recipients: list });
    expect(answer.status).toBe(200);
    expect((await stored())?.recipients).toHaveLength(20);
  });
});
