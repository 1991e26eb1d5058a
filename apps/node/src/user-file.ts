import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './cli-error.js';
import { lookedIn } from './out-dir.js';

/** What to add to a missing file's or a directory's message: the fix for this kind of file. */
export interface UserFileHints {
  missing?: string;
  directory?: string;
}

/**
 * Reads a file a user named (a config, a sweep spec, a run record, a model file). A UsageError
 * names it (`what`: `config file "x.json"`) when it is missing (with the folder relative paths are
 * read from), a directory, or unreadable: a file without read permission was reported as "not
 * valid JSON (EACCES …)". A leading byte-order mark is dropped.
 */
export function readUserFile(what: string, path: string, hints: UserFileHints = {}): string {
  const fix = (hint: string | undefined) => (hint ? `; ${hint}` : '');
  try {
    if (statSync(path).isDirectory())
      throw new UsageError(`${what} is a directory${hints.directory ? fix(hints.directory) : ', not a file'}`);
    // A byte-order mark (Windows editors save JSON with one) is not text: JSON.parse called it an
    // "Unexpected token" the user cannot see.
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
    if (code === 'ENOENT') throw new UsageError(`${what} does not exist${lookedIn(path)}${fix(hints.missing)}`);
    throw new UsageError(
      `${what} cannot be read (${code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/**
 * `text` parsed as JSON, or a UsageError: `<what> is not valid JSON (<why>, at line L, column C)`.
 * Node 20 gives only a character offset ("at position 63"), which an editor does not show (Node 22
 * adds the line and column itself); where the text has a trailing comma or a comment, the hint
 * says JSON has neither. An object with a key twice is refused too: JSON.parse keeps the last
 * value without a word, so `{"run": {"steps": 10}, "run": {"seed": 2}}` lost the steps.
 */
export function parseUserJson(what: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(why);
    const position = at ? Number(at[1]) : -1;
    const before = text.slice(0, Math.max(0, position));
    const where =
      position < 0 || /\(line \d+ column \d+\)/.test(why)
        ? ''
        : `, at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
    // The usual slips, where the text shows one: a comma before a closing bracket, or a comment
    // (`//` or `/*` not after a colon, as in a URL's "https://").
    const slipped = /,\s*[}\]]/.test(text) || /(^|[^:])\/[/*]/.test(text);
    const slip = slipped ? '; JSON has no comments or trailing commas' : '';
    throw new UsageError(`${what} is not valid JSON (${why}${where}${slip})`);
  }
  const twice = repeatedKey(text);
  if (twice)
    throw new UsageError(
      `${what} has the key "${twice.key}" twice in one object (line ${twice.line}); JSON keeps only the last, so merge the two into one`,
    );
  return value;
}

/** The first key that an object of `text` (valid JSON) holds twice, and the line of its second. */
function repeatedKey(text: string): { key: string; line: number } | null {
  const scopes: (Set<string> | null)[] = []; // one per open object (its keys so far) or array (null)
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') scopes.push(c === '{' ? new Set() : null);
    else if (c === '}' || c === ']') scopes.pop();
    else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      let next = end + 1;
      while (/\s/.test(text[next] ?? '')) next++;
      const keys = scopes.at(-1);
      // A string in an object followed by a colon is a key.
      if (keys && text[next] === ':') {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return { key, line: text.slice(0, i).split('\n').length };
        keys.add(key);
      }
      i = end;
    }
  }
  return null;
}
