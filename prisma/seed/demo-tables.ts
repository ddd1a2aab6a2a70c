import { randomUUID } from "node:crypto";
import type { TaskQueueStatus } from "../../server/generated/prisma/enums";
import type { DemoContext, DemoOrg } from "./demo-data";
import { MEMORY_TYPES } from "./demo-orgs";
import { daysAgo } from "./random";

/** The smaller governed tables of one org, and a few orphaned objects. */
export async function seedSmallTables(
  { db, random, now }: DemoContext,
  org: DemoOrg,
  imageArtifactIds: number[],
) {
  await db.imageAnalysis.createMany({
    data: Array.from({ length: 20 }, () => ({
      orgId: org.id,
      artifactId:
        imageArtifactIds.length && random.chance(0.7) ? random.pick(imageArtifactIds) : null,
      result: {
        labels: ["storyboard", random.pick(["outdoor", "studio", "product"])],
        confidence: random.next(),
      },
      createdAt: daysAgo(now, random.next() * 120),
    })),
  });
  await db.memoryItem.createMany({
    data: Array.from({ length: 36 }, (_, i) => ({
      orgId: org.id,
      type: MEMORY_TYPES[i % MEMORY_TYPES.length] ?? "brand_voice",
      content: `Assistant memory item ${i + 1}`,
      createdAt: daysAgo(now, random.next() * 400),
    })),
  });
  await db.sceneIteration.createMany({
    data: Array.from({ length: 25 }, (_, i) => ({
      orgId: org.id,
      sceneId: `scene-${1 + (i % 5)}`,
      iteration: 1 + Math.floor(i / 5),
      data: { shots: random.int(3, 12), durationSeconds: random.int(5, 90) },
      createdAt: daysAgo(now, random.next() * 200),
    })),
  });
  const statuses: TaskQueueStatus[] = [
    "COMPLETED",
    "COMPLETED",
    "COMPLETED",
    "FAILED",
    "CANCELLED",
    "RUNNING",
    "QUEUED",
  ];
  await db.taskQueueEntry.createMany({
    data: Array.from({ length: 40 }, () => {
      const status = random.pick(statuses);
      const createdAt = daysAgo(now, random.next() * 30);
      const finished = status === "COMPLETED" || status === "FAILED" || status === "CANCELLED";
      return {
        orgId: org.id,
        type: random.pick(["render", "transcode", "export", "analyze"]),
        status,
        createdAt,
        finishedAt: finished ? new Date(createdAt.getTime() + random.int(1, 600) * 1000) : null,
      };
    }),
  });
  await db.capturedError.createMany({
    data: Array.from({ length: 20 }, () => {
      const createdAt = daysAgo(now, random.next() * 90);
      return {
        orgId: org.id,
        fingerprint: randomUUID().slice(0, 8),
        message: random.pick([
          "Render timed out",
          "Upload rejected",
          "Webhook 502",
          "Quota exceeded",
        ]),
        createdAt,
        resolvedAt: random.chance(0.7)
          ? new Date(createdAt.getTime() + random.int(1, 72) * 3_600_000)
          : null,
      };
    }),
  });
  await db.prompt.createMany({
    data: Array.from({ length: 15 }, (_, i) => {
      const createdAt = daysAgo(now, random.next() * 60);
      return {
        orgId: org.id,
        name: `prompt-${i + 1}`,
        body: "Write a friendly product update in the brand voice.",
        createdAt,
        archivedAt: random.chance(0.15) ? new Date(createdAt.getTime() + 14 * 86_400_000) : null,
      };
    }),
  });
}

/** Leftovers no row references: old temp uploads and extracted audio (swept after 5 days). */
export async function seedOrphans({ store, random, now }: DemoContext, org: DemoOrg) {
  for (let i = 0; i < 3; i++) {
    const key = `orgs/${org.id}/tmp/${random.pick(["upload", "extracted-audio", "render-part"])}-${randomUUID()}.bin`;
    await store.put(key, random.bytes(random.int(500, 4_000)), daysAgo(now, random.int(1, 20)));
  }
}
