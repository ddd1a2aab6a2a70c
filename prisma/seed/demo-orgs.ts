import type { Plan } from "../../server/generated/prisma/enums";

const NAMES = [
  "Acme Studio",
  "Birchwood Media",
  "Cobalt Labs",
  "Driftwood Films",
  "Ember Creative",
  "Fjord Digital",
  "Granite Works",
  "Harbor Lane",
  "Indigo Reel",
  "Juniper Press",
  "Kestrel Audio",
  "Lumen House",
  "Maple & Co",
  "Northwind Pictures",
  "Orchid Social",
  "Pine Ridge",
  "Quartz Motion",
  "Rowan Agency",
  "Saffron Studios",
  "Tidal Frame",
  "Umber Voice",
  "Vireo Content",
  "Willow Street",
  "Xenon Collective",
  "Yarrow Media",
  "Zephyr Labs",
  "Atlas Narrative",
  "Beacon Story",
  "Cinder Loop",
  "Dune Visual",
  "Elm & Oak",
  "Foxglove",
  "Gull Harbor",
  "Heron Films",
  "Iris Copy",
  "Jasper Edit",
  "Kite Studio",
  "Lark Sound",
  "Moss Media",
  "Nimbus Pictures",
];

/** ~40 orgs across all five plans, Free the most common as on any SaaS. */
const PLAN_MIX: Plan[] = [
  ...Array<Plan>(12).fill("FREE"),
  ...Array<Plan>(10).fill("BASIC"),
  ...Array<Plan>(8).fill("PRO"),
  ...Array<Plan>(6).fill("AGENCY"),
  ...Array<Plan>(4).fill("ENTERPRISE"),
];

export const DEMO_ORGS = NAMES.map((name, i) => ({
  name,
  slug: name
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/(^-|-$)/g, ""),
  plan: PLAN_MIX[i % PLAN_MIX.length] ?? "FREE",
}));

/** Orgs placed under a legal hold by the seed (by index), with the hold's reason. */
export const HELD_ORGS: { index: number; reason: string }[] = [
  { index: 1, reason: "Litigation hold: case 2026-CV-0142" },
  { index: 14, reason: "Regulator inquiry 2026-07" },
  { index: 26, reason: "Customer dispute, preserve all records" },
];

export const ARTIFACT_KINDS = {
  BLOG_POST: { ext: "md", min: 2_000, max: 12_000 },
  SOCIAL_POST: { ext: "txt", min: 300, max: 2_000 },
  VOICEOVER_AUDIO: { ext: "mp3", min: 10_000, max: 40_000 },
  STORYBOARD_IMAGE: { ext: "png", min: 5_000, max: 30_000 },
  VIDEO_CLIP: { ext: "mp4", min: 20_000, max: 80_000 },
  VIDEO_SCRIPT: { ext: "md", min: 2_000, max: 10_000 },
} as const;

export const MEMORY_TYPES = [
  "conversation_context",
  "temporary_note",
  "session_data",
  "user_preference",
  "scene_style",
  "project_settings",
  "character_notes",
  "brand_voice",
  "research_summary",
];

export const WORKFLOWS = [
  "deploy-api",
  "build-web",
  "nightly-export",
  "render-queue",
  "sync-assets",
  "billing-cron",
];
