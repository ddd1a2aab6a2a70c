import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeZodError } from "./errors";

const settings = z.object({
  webhookUrl: z.url("must be a URL").nullable(),
  recipients: z.array(z.email("must be an email address")),
  leadDays: z.number().int().min(1, "must be at least 1 day"),
});
const refused = (input: unknown) => {
  const parsed = settings.safeParse(input);
  if (parsed.success) throw new Error("accepted");
  return parsed.error;
};
const bad = { webhookUrl: "not a url", recipients: ["a@b.dev", "nobody"], leadDays: 0 };

describe("describeZodError", () => {
  it("names the input's fields, as an API caller sends them", () => {
    expect(describeZodError(refused(bad))).toBe(
      "webhookUrl: must be a URL; recipients.1: must be an email address; leadDays: must be at least 1 day",
    );
  });

  it("names them as a form shows them when it says how, a list's entries counted from 1", () => {
    const labels = { webhookUrl: "Webhook endpoint", recipients: "Email recipients" };
    expect(describeZodError(refused(bad), labels)).toBe(
      "Webhook endpoint: must be a URL; Email recipients #2: must be an email address; leadDays: must be at least 1 day",
    );
  });

  it("says 'input' for an issue with no field", () => {
    const parsed = z.string().safeParse(1);
    if (parsed.success) throw new Error("accepted");
    expect(describeZodError(parsed.error, { x: "X" })).toMatch(/^input: /);
  });
});
