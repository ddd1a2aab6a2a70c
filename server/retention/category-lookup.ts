import type { RetentionCategory } from "../generated/prisma/enums";
import { CATEGORIES } from "./categories";
import type { Category, RowCategory } from "./categories/category";

const BY_KEY = new Map(CATEGORIES.map((c) => [c.key, c]));

export function category(key: RetentionCategory): Category {
  const found = BY_KEY.get(key);
  if (!found) throw new Error(`No category is registered for ${key}`);
  return found;
}

export const rowCategories = () => CATEGORIES.filter((c): c is RowCategory => c.kind === "rows");
