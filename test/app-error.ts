import { AppError } from "../server/errors";

/** The AppError a call is refused with; fails the test when it succeeds or throws anything else. */
export async function appError(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}
