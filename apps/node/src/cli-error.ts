/** A user error: printed as one line (no stack), exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
