/** The oldest Node.js major tailgate runs on: the Action's runtime (`node24`). */
export const MIN_NODE_MAJOR = 24;

/** Why this Node.js cannot run tailgate (`process.version`, like v20.20.2), or undefined. */
export function nodeVersionProblem(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (major >= MIN_NODE_MAJOR) return undefined;
  return `tailgate needs Node.js ${MIN_NODE_MAJOR} or newer, and this is ${version}. Install Node.js ${MIN_NODE_MAJOR}, or in a project that has tailgate installed run it with npx tailgate (the project's own Node.js comes first then)`;
}
