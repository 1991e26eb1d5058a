/**
 * An explorer's form as a schema (core's `defineSchema`, or a part's own): the text its inputs
 * start with, and the typed text read back (core's `readField`), checked field by field and then by
 * the schema's rules. Every problem comes at once, at its field, in the words `validateConfig` and
 * the CLI use for the same spec.
 */
import { defaultsOf, readField, runChecks, validateFields } from '@learnability/core';
import type { ConfigIssue, FieldSpecs, OptionsOf, PartSchema } from '@learnability/core';

/** Each field's default as input text (`8,16,32` for a list). */
export function formDefaults<F extends FieldSpecs>(schema: PartSchema<F>): Record<keyof F & string, string> {
  const d = defaultsOf(schema) as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(schema.fields).map((k) => [k, Array.isArray(d[k]) ? d[k].join(',') : String(d[k])]),
  ) as Record<keyof F & string, string>;
}

/**
 * The form's text read and checked: its typed values, or null with every issue (`path`: the
 * field's name). `valid` holds each field that reads and checks on its own, even when others do
 * not, so a form can run its own checks on those (the INAL form's target against each n).
 */
export function readForm<F extends FieldSpecs>(
  schema: PartSchema<F>,
  texts: Readonly<Record<keyof F & string, string>>,
): { values: OptionsOf<F> | null; valid: Partial<OptionsOf<F>>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const raw = Object.fromEntries(
    Object.entries(schema.fields).map(([k, spec]) => [k, readField(spec, (texts as Record<string, string>)[k] ?? '')]),
  );
  const valid = validateFields(raw, schema.fields, '', issues) as Partial<OptionsOf<F>>;
  if (issues.length === 0) runChecks(schema.checks, valid as OptionsOf<F>, '', issues, undefined);
  return { values: issues.length === 0 ? (valid as OptionsOf<F>) : null, valid, issues };
}
