/**
 * The workflows `tailgate init` writes: the text of examples/*.yml, kept here as strings so the
 * bundle carries them (dist/ is single files). test/cli/init.test.ts keeps each equal to its file;
 * after editing an example, copy it here (escape ` and \${ in the template literal).
 */

/** examples/localhost-server.yml */
export const LOCALHOST_WORKFLOW = `# tailgate against a server this job starts on localhost.
#
# Copy to .github/workflows/, replace <owner>, and commit a load profile at tailgate.yml
# (README, "The profile"). What happens:
#   - a push to main (the default branch) runs the load and records it as the baseline, in the
#     Actions cache and as the workflow artifact tailgate-baseline-<profile> (baseline-storage
#     auto); the job summary says "baseline recorded". Nothing is compared or posted; a broken
#     threshold of the profile fails the step after the baseline is recorded.
#   - a pull request runs the same load and compares it with that baseline: a sticky comment on
#     the PR, a check run "tailgate: <profile>", the job summary and step outputs. The step fails
#     on a significant regression beyond the threshold, or on a broken threshold of the profile.
#   - a pull request opened before main has a baseline gets a neutral check and a note saying so.
#   - a pull request from a fork gets a read-only token (whatever \`permissions:\` says): it is
#     measured and gated the same, but cannot comment; its report goes to the job summary and the
#     artifact tailgate-report-<profile>. To post it on the PR, use fork-safe-*.yml instead.
name: performance

on:
  pull_request:
  push:
    branches: [main] # your default branch: its pushes record the baseline

permissions:
  contents: read # check out the code
  pull-requests: write # the sticky PR comment
  issues: write # PR comments go through the issues API
  checks: write # the check run with the verdict
  actions: read # find the baseline kept as an artifact of an earlier run of main (baseline-storage auto)

# A new push to a PR cancels its run still measuring; runs on main always finish.
concurrency:
  group: performance-\${{ github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

jobs:
  performance:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v5

      - uses: actions/setup-node@v5
        with:
          node-version: 24
          cache: npm

      - run: npm ci && npm run build

      # Started in the background, it keeps running for the later steps of this job. Bind it to
      # 127.0.0.1 (or 0.0.0.0): a server listening on "localhost" may get ::1 only.
      - name: Start the server
        run: nohup npm start > server.log 2>&1 &
        env:
          HOST: 127.0.0.1
          PORT: '3000'
          NODE_ENV: production

      # No sleep or wait-on step needed: tailgate polls the target until it answers HTTP
      # (wait-timeout, 300 seconds by default) before it measures.
      - name: tailgate
        id: tailgate
        uses: <owner>/tailgate@v1
        with:
          config: tailgate.yml
          target-url: http://127.0.0.1:3000
          # threshold: 10         # allowed p95 increase / throughput decrease in %; default: the profile's regression block
          # fail-on: regression   # or inconclusive, or never (report only)
          # comment: on-change    # comment only when the verdict is not pass

      - name: Server log
        if: failure()
        run: cat server.log
`;

/** examples/deployment-preview.yml */
export const PREVIEW_WORKFLOW = `# tailgate against preview deployments (Vercel, Netlify, or any deployer that reports GitHub
# deployments): the workflow starts when a deployment's status changes and loads the URL the
# event carries.
#
# Copy to .github/workflows/, replace <owner>, and commit a load profile at tailgate.yml
# (README, "The profile"). What happens on a successful deployment:
#   - of a pull request's branch: the preview is loaded and compared with the baseline; the PR
#     (found from the deployed commit) gets the sticky comment, the deployed commit gets the check
#     run "tailgate: <profile>", and the job summary and step outputs have the report.
#   - of main (the default branch): the run is recorded as the baseline, in the Actions cache and
#     as a workflow artifact (baseline-storage auto).
#     tailgate knows it is main from the event's deployment.ref. Some deployers put the commit
#     SHA there instead of the branch name: then a deployment the deployer marks as production
#     (deployment.production_environment) records the baseline. If yours marks none, set \`mode\`
#     as shown below, or PRs keep saying "no baseline".
#   - before a baseline exists: a neutral check and a note saying so.
# Pending, failed or errored deployments start the workflow too; the \`if:\` skips them.
name: performance (preview)

on:
  deployment_status:

permissions:
  contents: read # check out the profile, and find the pull request of the deployed commit
  pull-requests: write # the sticky PR comment
  issues: write # PR comments go through the issues API
  checks: write # the check run with the verdict
  actions: read # find the baseline kept as an artifact of an earlier run of main (baseline-storage auto)

jobs:
  performance:
    if: github.event.deployment_status.state == 'success'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      # The profile comes from the default branch, not from the deployed commit: this job holds
      # a write token and secrets, and a pull request must not be able to change what it sends
      # where (its headers, its target, the variables it reads). Nothing of the deployed commit
      # runs here: the deployment is loaded over HTTP.
      - uses: actions/checkout@v5
        with:
          ref: \${{ github.event.repository.default_branch }}

      - name: tailgate
        id: tailgate
        uses: <owner>/tailgate@v1
        with:
          config: tailgate.yml
          # No target-url: the event's environment_url (else target_url) is loaded, once its
          # host is allowed here (or is the profile's target's): the profile's headers go with
          # every request. tailgate waits up to wait-timeout (300 s) for it to answer.
          allowed-hosts: '*.vercel.app' # your deployer's preview hosts (this allows every Vercel app: with a preview domain of your own, name it instead, e.g. *.previews.example.com)
          #
          # If your deployer names the commit, not the branch, in deployment.ref and does not
          # mark production deployments as such, record them explicitly (use your deployer's
          # name for that environment; Vercel's are "Production – <project>" and "Preview – <project>",
          # and startsWith ignores case and the suffix):
          # mode: \${{ startsWith(github.event.deployment.environment, 'Production') && 'baseline' || 'auto' }}
        # Vercel previews behind Deployment Protection need the bypass header. Put it in the
        # profile, \`defaults: { headers: { x-vercel-protection-bypass: "\${VERCEL_AUTOMATION_BYPASS_SECRET}" } }\`,
        # and pass the secret here; every value the profile takes from the environment is shown as ***.
        # env:
        #   VERCEL_AUTOMATION_BYPASS_SECRET: \${{ secrets.VERCEL_AUTOMATION_BYPASS_SECRET }}
`;

/** examples/fork-safe-pr.yml */
export const FORK_PR_WORKFLOW = `# tailgate for repositories that take pull requests from forks, part 1 of 2: measure.
#
# Pushes to main record the baseline; pull requests from branches of this repository get the
# comment and the check run. A fork's pull request is measured and gated the same (its job fails
# on a regression), but its run gets a read-only token: its report goes to this run's job summary
# and is uploaded as the artifact tailgate-report-<profile> (kept 7 days), which part 2
# (fork-safe-report.yml, \`mode: report\`) posts as the comment and the check run.
#
# Why two workflows: this one runs the pull request's code (it starts the server), so a fork's
# run must not hold a write token, and GitHub gives it none: for a pull request from a fork, the
# token is read-only and secrets are withheld, whatever \`permissions:\` below says. Part 2 runs in
# this repository's trusted context with a write token, runs none of the fork's code, and only
# posts the report this run left. Never use \`pull_request_target\` to run the load: it would run
# the fork's code with a write token.
#
# Use this file instead of localhost-server.yml (not both). Copy it to .github/workflows/,
# replace <owner>, and commit a load profile at tailgate.yml. Keep the name: part 2 refers to it.
name: performance (fork-safe)

on:
  pull_request:
  push:
    branches: [main] # your default branch: its pushes record the baseline

# Used by pushes and by pull requests from branches of this repository. A fork's pull request
# gets read-only permissions here no matter what is written.
permissions:
  contents: read # check out the code
  pull-requests: write # the sticky PR comment (not for forks)
  issues: write # PR comments go through the issues API
  checks: write # the check run with the verdict (not for forks)
  actions: read # find the baseline kept as an artifact of an earlier run of main (baseline-storage auto)

concurrency:
  group: performance-\${{ github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

jobs:
  performance:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v5

      - uses: actions/setup-node@v5
        with:
          node-version: 24
          cache: npm

      - run: npm ci && npm run build

      # Bind to 127.0.0.1 (or 0.0.0.0): a server listening on "localhost" may get ::1 only.
      - name: Start the server
        run: nohup npm start > server.log 2>&1 &
        env:
          HOST: 127.0.0.1
          PORT: '3000'
          NODE_ENV: production

      # The baseline is restored from main's Actions cache or artifact (whichever is newer), which
      # a fork's run may read. The report always goes to this run's job summary; a fork's run also
      # uploads it as an artifact for part 2.
      - name: tailgate
        id: tailgate
        uses: <owner>/tailgate@v1
        with:
          config: tailgate.yml
          target-url: http://127.0.0.1:3000

      - name: Server log
        if: failure()
        run: cat server.log
`;

/** examples/fork-safe-report.yml */
export const FORK_REPORT_WORKFLOW = `# tailgate for repositories that take pull requests from forks, part 2 of 2: post a fork's report.
#
# How it works: when a "performance (fork-safe)" run of a fork's pull request completes, this
# workflow starts in this repository's own context, with a write token. It downloads the
# tailgate-report-<profile> artifacts that run uploaded, checks them as untrusted data (schema,
# size, fields), renders the report's markdown itself, confirms with the API that the pull
# request is open with its head at the measured commit (else it posts nothing), and posts the
# sticky comment and the check run. It checks out nothing and runs none of the fork's code.
# Use it with part 1 (fork-safe-pr.yml). The reports are kept 7 days.
#
# GitHub starts workflow_run workflows only from the copy on the default branch: merge this file
# to main before expecting it to run.
name: performance report

on:
  workflow_run:
    workflows: ['performance (fork-safe)'] # the \`name:\` of part 1
    types: [completed]

permissions:
  actions: read # download the report artifact of the other run
  contents: read
  pull-requests: write # the sticky PR comment, and confirming the PR's head
  issues: write # PR comments go through the issues API
  checks: write # the check run with the verdict

jobs:
  report:
    # Only a fork's pull-request runs leave a report to post (other pull requests post their own).
    # A run that failed because of a regression still has a report; a cancelled one has none.
    if: >-
      github.event.workflow_run.event == 'pull_request' &&
      github.event.workflow_run.head_repository.full_name != github.repository &&
      (github.event.workflow_run.conclusion == 'success' || github.event.workflow_run.conclusion == 'failure')
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      # No actions/checkout: this job holds a write token and must never run the fork's code.
      - name: tailgate report
        uses: <owner>/tailgate@v1
        with:
          mode: report
          # The verdict is the one the fork's run reported: the check is neutral unless you opt in
          # with \`fork-verdict: enforce\`. Never make this check required for forks' pull requests.
          # fork-verdict: enforce
`;
