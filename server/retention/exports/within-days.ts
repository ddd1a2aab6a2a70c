/** How many days ahead an export may reach, and how far by default (the console's form reads it too). */
export const EXPORT_WITHIN_DAYS = { min: 1, max: 90, default: 7 } as const;
