/** What an org's history can be narrowed to, in the console's words; plain data, the browser uses it too. */
export const HISTORY_KINDS = {
  runs: "Runs",
  restores: "Restores",
  previews: "Previews",
  holds: "Legal holds",
  pins: "Pins",
  overrides: "Overrides",
  erasures: "GDPR erasures",
  notices: "Notices",
} as const;

export type HistoryKind = keyof typeof HISTORY_KINDS;
export const HISTORY_KIND_KEYS = Object.keys(HISTORY_KINDS) as HistoryKind[];
