/**
 * Actions cache keys for baselines. Keys are immutable, so every save gets a new one (commit and
 * run); restoring by the profile's prefix finds the newest from the current branch, then the
 * default branch. The profile hash is deliberately not in the key: a baseline of a changed
 * profile must still be found, so the report can say it no longer matches.
 */
const PREFIX = 'tailgate-baseline';

export function restorePrefix(profileId: string): string {
  return `${PREFIX}-${profileId}-`;
}

export function saveKey(profileId: string, commit: string, runId: string, attempt = '1'): string {
  return `${restorePrefix(profileId)}${commit}-${runId}-${attempt}`;
}
