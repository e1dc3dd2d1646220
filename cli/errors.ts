/** Exit codes of every hilbench command (DESIGN §6). */
export const EXIT_OK = 0;
export const EXIT_USER = 1;
export const EXIT_INTERNAL = 2;

/** Errors tagged `userError: true` (bad file, option, port …) are the user's to fix: exit 1. */
export function isUserError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { userError?: unknown }).userError === true;
}
