/**
 * How values that may hold secrets are shown. Every value a profile takes from the environment
 * is a secret wherever a name, URL or message shows it: the profile's step names and target are
 * made with those parts as `***` here, in config, so that what is built from them (the run record,
 * the reports, the logs) cannot show them. A URL is never shown with its user name or password.
 */

/** What stands for a secret, as GitHub's log masking writes it. */
export const MASK = '***';

/** `text` with every occurrence of each secret as `***` (the longest first, so none shows in part). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].filter((s) => s !== '').sort((a, b) => b.length - a.length)) {
    if (result.includes(secret)) result = result.split(secret).join(MASK);
  }
  return result;
}

/** The profile's target as it may be shown: its parts from the environment as `***`. */
export function shownTarget(profile: { target: string; targetShown?: { of: string; shown: string } }): string {
  // A copy of the profile with another target (paired mode's base) shows that target, never the first's.
  return profile.targetShown !== undefined && profile.targetShown.of === profile.target ? profile.targetShown.shown : profile.target;
}

/**
 * A URL as a message may quote it: its user name and password, if any, as `***`
 * (`https://***:***@host/`). In text that is no such URL, what comes before an `@` at its start or
 * after a `//` (up to the next `/`) is hidden the same way (`***@host`).
 */
export function withoutCredentials(text: string): string {
  const url = URL.parse(text.trim());
  if (url !== null && (url.username !== '' || url.password !== '')) {
    if (url.username !== '') url.username = MASK;
    if (url.password !== '') url.password = MASK;
    return url.href;
  }
  return text.replace(/(^|\/\/)[^/@\s]*@/g, `$1${MASK}@`);
}

/** Whether `text` is a URL that carries a user name or a password. */
export function hasCredentials(text: string): boolean {
  const url = URL.parse(text.trim());
  return url !== null ? url.username !== '' || url.password !== '' : /\/\/[^/@\s]*@/.test(text);
}
