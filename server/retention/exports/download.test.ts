import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { savePack } from "@/test/evidence-pack";
import { sha256 } from "@/test/export-archive";
import { unzipBytes } from "@/test/zip-entries";
import type { Engine } from "../deps";
import { openExportDownload } from "./download";
import { expireExports } from "./expire";
import { requestExport, workExports } from "./exports";
import { exportLink, exportLinkKey } from "./link";

const DAY = 86_400_000;
const links = {
  key: exportLinkKey("a-console-secret-of-32-characters"),
  baseUrl: "https://lethe.test",
};
const at = (engine: Engine, now: Date): Engine => ({ ...engine, now: () => now });

/** The query of a link, as the route hands it on. */
function presented(url: string) {
  const q = new URL(url).searchParams;
  return { expires: q.get("expires"), signature: q.get("signature") };
}

describe.each([
  ["S3 (a presigned redirect)", {}],
  ["the local folder (streamed)", { backdatingStore: "export-links" }],
] as const)("an export's signed link, on %s", (_, options) => {
  let t: TestEngine;
  let exportId: number;
  let content: Buffer;

  beforeAll(async () => {
    t = await createTestEngine(options);
    t.engine.exportLinks = links;
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    const org = await b.org("FREE");
    const a = await b.artifact(org.id, 35, { bytes: 64 });
    content = randomBytes(64);
    await t.engine.store.put(a.objectKey, content);
    exportId = (
      await requestExport(t.engine, {
        orgId: org.id,
        categories: ["ARTIFACTS"],
        requestedBy: admin,
      })
    ).id;
  });
  afterAll(() => t.close());

  it("says the export is being prepared until it is built", async () => {
    const { url } = await exportLink(t.engine, exportId);
    expect(await openExportDownload(t.engine, exportId, presented(url))).toEqual({
      kind: "preparing",
      why: `Export ${exportId} is being prepared; try again in a few minutes.`,
    });
  });

  it("downloads the archive once built, until the export's own expiry, with no login", async () => {
    await workExports(t.engine);
    const { url, expiresAt } = await exportLink(t.engine, exportId);
    expect(url).toMatch(new RegExp(`^https://lethe.test/api/exports/${exportId}/download\\?`));
    expect(expiresAt.getTime()).toBe(NOW.getTime() + 7 * DAY);
    const opened = await openExportDownload(t.engine, exportId, presented(url));
    let file: string;
    if (opened.kind === "redirect") {
      const response = await fetch(opened.url);
      expect(response.status).toBe(200);
      file = await savePack(Readable.from([Buffer.from(await response.arrayBuffer())]), "dl.zip");
    } else if (opened.kind === "file") {
      file = await savePack(opened.body, "dl.zip");
    } else throw new Error(`not downloadable: ${JSON.stringify(opened)}`);
    expect(t.engine.store.kind === "s3" ? "redirect" : "file").toBe(opened.kind);
    const files = await unzipBytes(file);
    expect(files.get([...files.keys()].find((k) => k.startsWith("objects/")) ?? "")).toEqual(
      content,
    );
    const row = await t.engine.db.export.findUniqueOrThrow({ where: { id: exportId } });
    const { readFile } = await import("node:fs/promises");
    expect(sha256(await readFile(file))).toBe(row.sha256);
    expect(
      await t.engine.db.auditEntry.count({
        where: { action: "export.downloaded", target: `export:${exportId}` },
      }),
    ).toBe(1);
  });

  it("refuses a tampered signature, a stretched expiry and another export's link alike", async () => {
    const { url } = await exportLink(t.engine, exportId);
    const good = presented(url);
    const flipped = (good.signature ?? "").replace(/^./, (c) => (c === "0" ? "1" : "0"));
    const refused = { kind: "refused", why: "This download link is not valid." };
    for (const p of [
      { ...good, signature: flipped },
      { ...good, signature: null },
      { ...good, expires: String(Number(good.expires) + 86_400) },
      { ...good, expires: String(Number(good.expires) - 1) },
      { ...good, expires: "1e12" },
      // The same MAC written otherwise: only the link exactly as signed opens.
      { ...good, signature: (good.signature ?? "").toUpperCase() },
      { ...good, signature: `${good.signature ?? ""}zz` },
      { ...good, expires: `0${good.expires ?? ""}` },
    ])
      expect(await openExportDownload(t.engine, exportId, p)).toEqual(refused);
    expect(await openExportDownload(t.engine, exportId + 1000, good)).toEqual(refused);
  });

  it("is gone once the export's expiry passes, and expiry deletes the archive after 7 days", async () => {
    const { url } = await exportLink(t.engine, exportId);
    const row = await t.engine.db.export.findUniqueOrThrow({ where: { id: exportId } });
    const sixDaysOn = at(t.engine, new Date(NOW.getTime() + 6 * DAY));
    expect(await expireExports(sixDaysOn, Date.now() + 30_000)).toEqual({
      expired: 0,
      failed: 0,
      done: true,
    });
    expect(await t.engine.store.head(row.objectKey ?? "")).not.toBeNull();

    const eightDaysOn = at(t.engine, new Date(NOW.getTime() + 8 * DAY));
    expect(await openExportDownload(eightDaysOn, exportId, presented(url))).toMatchObject({
      kind: "gone",
    });
    expect(await expireExports(eightDaysOn, Date.now() + 30_000)).toEqual({
      expired: 1,
      failed: 0,
      done: true,
    });
    expect(await t.engine.store.head(row.objectKey ?? "")).toBeNull();
    expect(await t.engine.db.export.findUniqueOrThrow({ where: { id: exportId } })).toMatchObject({
      status: "EXPIRED",
      expiredAt: eightDaysOn.now(),
    });
    expect(
      await t.engine.db.auditEntry.count({
        where: { action: "export.expired", target: `export:${exportId}` },
      }),
    ).toBe(1);
    expect(await openExportDownload(t.engine, exportId, presented(url))).toEqual({
      kind: "gone",
      why: `Export ${exportId} has expired: its link no longer opens.`,
    });
  });
});
