import { notFound } from "next/navigation";

/**
 * Any address no page has: answered inside the console (its navigation, its
 * sign-in) by the console's not-found page, not by the framework's bare one.
 */
export default function Missing() {
  notFound();
}
