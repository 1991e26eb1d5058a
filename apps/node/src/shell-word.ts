/** `text` as one POSIX shell word: as it is when plain, else single-quoted, so a printed command pastes whole. */
export const shellWord = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
