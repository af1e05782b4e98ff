import { PROFILE_SCHEMA_URL } from '../version.js';

/** The set-ups `tailgate init` knows, each with its example workflow. */
export const SETUPS = ['localhost', 'preview', 'fork'] as const;
export type Setup = (typeof SETUPS)[number];

/**
 * Where the starter profile's load goes. The workflow's `target-url` (localhost, fork) or the
 * deployment's URL (preview) replaces it in the Action; on a laptop it is what `tailgate run`
 * loads unless `--target` says otherwise.
 */
function targetLine(setup: Setup): string {
  return setup === 'preview'
    ? 'target: ${TARGET_URL:-http://127.0.0.1:3000} # the Action loads the deployment\'s URL instead'
    : 'target: http://127.0.0.1:3000 # the server the workflow starts (its target-url says the same)';
}

/**
 * The commented starter profile: small (30 s of load), valid as written, with every section a
 * new user needs and a pointer to the rest. Its first line lets editors complete it from the schema.
 */
export function starterProfile(setup: Setup): string {
  return `# yaml-language-server: $schema=${PROFILE_SCHEMA_URL}
# A tailgate load profile. Try it:   tailgate inspect --config tailgate.yml   (the plan, no load)
#                                    tailgate run --config tailgate.yml       (the load, a summary)
# Field names follow k6. All of them: README, "The profile", and schema/tailgate.schema.json.
name: my-service # the profile's id: baseline keys and the PR comment use it
${targetLine(setup)}
defaults:
  timeout: 10s # a request taking longer counts as a timeout error
  # headers: { authorization: "Bearer \${API_TOKEN}" } # a value from the environment is a secret: *** wherever tailgate shows it
warmup: 5s # measured from the start, left out of every statistic

# The load. Scenarios run at the same time, each from its startTime.
scenarios:
  browse:
    # Open model: iterations start at a fixed rate, however slow the service gets, and latency
    # counts from the intended start (no coordinated omission). For a closed model (N users
    # looping), write executor: constant-vus with vus: 10, or ramping-vus with stages.
    executor: constant-arrival-rate
    rate: 20 # journey iterations started per second
    duration: 30s # the first 5 s are warm-up, the other 25 s are measured
    preAllocatedVUs: 5
    maxVUs: 50 # more in flight than this and iterations are dropped (and counted)

# What one iteration does: a journey is picked by weight, its steps run in order.
journeys:
  visitor:
    weight: 1
    steps:
      - name: home # statistics, thresholds and the PR comment use step names
        request: GET /
        expect: 200 # anything else counts as a status error; default: any 2xx or 3xx
      # A second step that uses a value from the first one's JSON response:
      # - name: detail
      #   request: GET /api/items/{{ itemId }}
      # and on the step before it: capture: { itemId: "$.items[0].id" }
      #   think: 1s-3s # a pause after a step, fixed or a random range

# Absolute limits (k6 syntax), checked on every run: a broken one fails the step.
thresholds:
  http_req_failed: ["rate<0.01"] # fewer than 1% errors
  http_req_duration: ["p(95)<500"] # p95 under 500 ms, all steps together
  # "http_req_duration{step:home}": ["p(99)<800"]

# The relative gate against the baseline from the default branch: a pull request fails when a
# change is larger than this and statistically significant at alpha.
regression: { p95: 10%, throughput: 10%, alpha: 0.05 }
`;
}
