import { ACTION_USES, TOOL_VERSION } from '../version.js';
import { FORK_PR_WORKFLOW, FORK_REPORT_WORKFLOW, LOCALHOST_WORKFLOW, PREVIEW_WORKFLOW } from './example-workflows.js';
import { starterProfile, type Setup } from './starter-profile.js';

/** A file `tailgate init` writes: its path relative to the project's folder, and its text. */
export interface StarterFile {
  path: string;
  text: string;
  /** What it is, for the message after writing it. */
  what: string;
}

const WORKFLOWS: Record<Setup, Array<{ path: string; example: string; text: string; what: string }>> = {
  localhost: [{ path: '.github/workflows/performance.yml', example: 'localhost-server.yml', text: LOCALHOST_WORKFLOW, what: 'the workflow: starts your server, records main, gates pull requests' }],
  preview: [{ path: '.github/workflows/performance.yml', example: 'deployment-preview.yml', text: PREVIEW_WORKFLOW, what: 'the workflow: loads each successful preview deployment' }],
  fork: [
    { path: '.github/workflows/performance.yml', example: 'fork-safe-pr.yml', text: FORK_PR_WORKFLOW, what: 'the workflow that measures (pull requests from forks included)' },
    { path: '.github/workflows/performance-report.yml', example: 'fork-safe-report.yml', text: FORK_REPORT_WORKFLOW, what: "the workflow that posts a fork's report (runs from main only)" },
  ],
};

/** The profile and the workflow(s) of a set-up, as `tailgate init` writes them. */
export function starterFiles(setup: Setup): StarterFile[] {
  return [
    { path: 'tailgate.yml', text: starterProfile(setup), what: 'the load profile' },
    ...WORKFLOWS[setup].map((w) => ({
      path: w.path,
      text: `# Written by tailgate init (tailgate ${TOOL_VERSION}) from examples/${w.example}.\n${w.text.replaceAll('uses: <owner>/tailgate@v1', `uses: ${ACTION_USES}`)}`,
      what: w.what,
    })),
  ];
}
