// A src/ tree row is named by what it shows: its name, then its size and mode
// ("hello.py 15 B -rwxr-xr-x"). Tests find a row by the name it starts with.
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches the accessible name of the row for `name` (and of no row whose name merely starts the same). */
export const rowName = (name: string): RegExp => new RegExp(`^${escapeRegExp(name)}(\\s|$)`);

/** The entry name a row shows (the last part of its src/ path). */
export const rowEntryName = (row: Element): string | undefined => row.querySelector('[data-path]')?.getAttribute('data-path')?.split('/').pop();
