import { rowCategories } from "../categories";
import type { RowCategory } from "../categories/category";

/**
 * The categories a notice tells of: those whose items are deleted once a
 * window of days has passed. Prompts are only archived (nothing is lost);
 * backups go by count, not age, so no watermark on their age says which
 * were told; orphan objects belong to no org's rows.
 */
export const noticeCategories = (): RowCategory[] =>
  rowCategories().filter((c) => !c.keepsNewest && c.action !== "archive");
