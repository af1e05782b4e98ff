import pkg from '../package.json' with { type: 'json' };

/**
 * The tool's version and home, read from package.json, the one place they are written: the CLI's
 * `--version`, every run record's `meta.tool.version` and the starters `tailgate init` writes all
 * take them from here.
 */

/** The tool's own version, recorded in every run record. */
export const TOOL_VERSION: string = pkg.version;

/** `owner/name` of the repository, from package.json's `repository.url`. */
export const TOOL_REPOSITORY: string = repositoryName(pkg.repository.url);

/** What a workflow's `uses:` names: the repository at this version's major tag (`v1`). */
export const ACTION_USES = `${TOOL_REPOSITORY}@v${TOOL_VERSION.split('.')[0]}`;

/** The profile schema as published with this major version, for editors (yaml-language-server). */
export const PROFILE_SCHEMA_URL = `https://raw.githubusercontent.com/${TOOL_REPOSITORY}/v${TOOL_VERSION.split('.')[0]}/schema/tailgate.schema.json`;

/** `git+https://github.com/owner/name.git` -> `owner/name`. */
export function repositoryName(url: string): string {
  const match = /github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?$/.exec(url);
  if (!match?.[1]) throw new Error(`package.json repository.url is not a GitHub repository: ${url}`);
  return match[1];
}
