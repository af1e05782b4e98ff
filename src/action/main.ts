import { TOOL_VERSION } from '../version.js';

/** The GitHub Action entry. The gate itself lands with the Action issue; for now it reports its version. */
export async function run(): Promise<void> {
  process.stdout.write(`tailgate ${TOOL_VERSION}\n`);
}
