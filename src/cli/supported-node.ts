import { nodeVersionProblem } from '../node-version.js';

/**
 * Imported first by the CLI's entry, before anything that needs a newer Node.js than the one
 * running it: an old one stops here with a sentence, not deep inside a dependency.
 */
const problem = nodeVersionProblem(process.version);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}
