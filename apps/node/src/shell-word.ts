/** `text` as one POSIX shell word: as it is when plain, else single-quoted, so a printed command pastes whole. */
export const shellWord = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * How this CLI was started, for a command it prints to paste: `pnpm learnability` under the
 * workspace's script (pnpm names it in npm_lifecycle_event; no `learnability` is on PATH there),
 * else the installed bin's name.
 */
export const cliName = (env: NodeJS.ProcessEnv = process.env): string =>
  env['npm_lifecycle_event'] === 'learnability' ? 'pnpm learnability' : 'learnability';
