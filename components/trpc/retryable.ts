/** What a failed request says about itself, as tRPC errors carry it. */
export type RequestError = { message: string; data?: { httpStatus?: number } | null };

/**
 * Whether asking again might succeed: not when the server refused the
 * request itself (not found, not allowed, bad input), except for a timeout
 * or too many requests.
 */
export function isRetryable(error: unknown) {
  const status = (error as RequestError | null)?.data?.httpStatus ?? 0;
  return status < 400 || status >= 500 || status === 408 || status === 429;
}
