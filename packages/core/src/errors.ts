/**
 * Error types. Every message is one line that says what was expected, what came, and the fix.
 */

/** Base class so callers can tell our errors from bugs. */
export class LearnabilityError extends Error {
  override name = 'LearnabilityError';
}

/** One problem in a config, located by its path (`trainer.lr`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A config (file, CLI flags, URL query) failed validation; carries every issue at once. */
export class ConfigError extends LearnabilityError {
  override name = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
  }
}

/** A backend the user asked for cannot run here. Never followed by a silent fallback. */
export class BackendUnavailableError extends LearnabilityError {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly fix: string,
  ) {
    super(`backend "${backend}" is unavailable: ${reason}; ${fix}`);
  }
}
