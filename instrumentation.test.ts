import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "./instrumentation";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("next start in production", () => {
  it("ends the process when storage is not configured, instead of serving every request a 500", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("DATABASE_URL", "postgres://lethe:secret@127.0.0.1:9/lethe");
    vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(32));
    vi.stubEnv("S3_BUCKET", "");
    vi.stubEnv("STORAGE", "");
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw new Error("process.exit");
    });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await expect(register()).rejects.toThrow("process.exit");
    expect(exit).toHaveBeenCalledWith(1);
    expect(stderr.mock.calls.join("")).toMatch(
      /Lethe refuses to start the server:\n {2}- Storage is not configured: set S3_BUCKET/,
    );
  });
});
