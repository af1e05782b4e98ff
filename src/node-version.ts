/**
 * The oldest Node.js the CLI runs on: 22.19, the oldest release of the 22 LTS line that undici
 * (the load engine's HTTP client) supports. The Action itself runs on the runner's `node24`.
 */
export const MIN_NODE = { major: 22, minor: 19 } as const;
export const MIN_NODE_VERSION = `${MIN_NODE.major}.${MIN_NODE.minor}.0`;

/** Why this Node.js cannot run tailgate (`process.version`, like v20.20.2), or undefined. */
export function nodeVersionProblem(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)\./.exec(version);
  const major = Number(match?.[1]);
  const minor = Number(match?.[2]);
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return undefined;
  return `tailgate needs Node.js ${MIN_NODE_VERSION} or newer (the 22 or 24 LTS line), and this is ${version}: install a current Node.js 22 or 24 (for example with nvm, fnm or your system's packages) and run tailgate again`;
}
