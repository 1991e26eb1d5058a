/**
 * Validation errors placed where the user can fix them: each ConfigError issue goes to the field
 * whose path it names (or the nearest enclosing field), the rest to the editor as a whole.
 */
import { ConfigError } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { expandExtends, validateConfig } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';

/** Issues grouped by the field they belong to; `general` holds those no field can show. */
export interface PlacedIssues {
  byField: Map<string, string[]>;
  general: string[];
}

/** True when `inner` is `outer` or lies inside it (`task.n` inside `task`, `learners[0].name` inside `learners[0]`). */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/**
 * Places each issue on a field: the field with the same path, else the closest field that contains
 * the issue's path (`model.widths[1]` → `model.widths`). Issues about a whole object (`run`) or a
 * missing part (`model`) have no single field and go to `general`, written as `path: message`.
 */
export function placeIssues(issues: readonly ConfigIssue[], fieldPaths: readonly string[]): PlacedIssues {
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  for (const issue of issues) {
    const owner = fieldPaths.filter((f) => within(issue.path, f)).sort((a, b) => b.length - a.length)[0];
    if (owner === undefined || issue.path === '')
      general.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    else
      byField.set(owner, [
        ...(byField.get(owner) ?? []),
        owner === issue.path ? issue.message : `${issue.path}: ${issue.message}`,
      ]);
  }
  return { byField, general };
}

/** What checking an edited config gives: the validated config, or every issue at once. */
export type CheckedConfig = { ok: true; config: ResolvedConfig } | { ok: false; issues: ConfigIssue[] };

/** Validates with the schema of `@learnability/presets` (the CLI's), never throwing. */
export function checkConfig(raw: unknown): CheckedConfig {
  try {
    return { ok: true, config: validateConfig(raw) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    return { ok: false, issues: [{ path: '', message: error instanceof Error ? error.message : String(error) }] };
  }
}

/** The editor's text parsed as a config object, or a one-line error (JSON syntax, not an object). */
export function parseEditorText(
  text: string,
): { ok: true; raw: Record<string, unknown> } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      error: `the config is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      error: `the config must be a JSON object like {"task": {"name": "sparse-parity"}}, but got ${JSON.stringify(parsed)}`,
    };
  }
  // A CLI config file may start from a preset ({"extends": "sparse-parity", …}): the same here.
  try {
    return { ok: true, raw: expandExtends(parsed) as Record<string, unknown> };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
