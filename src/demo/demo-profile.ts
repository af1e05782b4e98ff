import { parseProfile } from '../config/load-profile.js';
import type { Env } from '../config/env-interpolation.js';
import type { Profile } from '../config/profile-types.js';

/**
 * The profile `tailgate demo` runs against the bundled sample service: a realistic shop mix at
 * a steady arrival rate, short enough to run twice in under half a minute, with the service's
 * Prometheus endpoint scraped for its CPU per request and memory.
 */
export const DEMO_PROFILE_YAML = `# tailgate demo profile: the bundled sample service, loaded at a steady rate.
name: demo
target: \${TARGET_URL}
warmup: 2s
block: 1s
# The sample service's own CPU and memory, scraped beside the load: CPU per request in the summary.
metrics: { url: "\${TARGET_URL}/metrics", interval: 1s }
scenarios:
  shop:
    executor: constant-arrival-rate
    rate: 150
    duration: \${DEMO_DURATION:-12s}
    preAllocatedVUs: 10
    maxVUs: 100
journeys:
  shopper:
    weight: 4
    steps:
      - name: list
        request: GET /api/products
        expect: 200
        capture: { productId: "$.items[3].id" }
      - name: detail
        request: GET /api/products/{{ productId }}
  buyer:
    weight: 1
    steps:
      - name: checkout
        request: POST /api/orders
        body: { productId: 7, quantity: 1 }
        expect: [200, 201]
thresholds:
  http_req_duration: ["p(95)<250"]
  http_req_failed: ["rate<0.01"]
regression: { p95: 10%, throughput: 10%, alpha: 0.05 }
`;

/**
 * The demo profile against `target` for `duration`, both written into it rather than read from
 * the environment: a value from the environment is a secret, shown as *** wherever the run is
 * reported, and the demo's target, its metrics endpoint and length are there to be seen. The duration goes in as a
 * quoted string, checked by the profile's own rules like any other.
 */
export function demoProfile(target: string, duration: string, env: Env): Profile {
  const text = DEMO_PROFILE_YAML.replace('${DEMO_DURATION:-12s}', JSON.stringify(duration)).replace('"${TARGET_URL}/metrics"', JSON.stringify(`${target}/metrics`));
  return parseProfile(text, { file: 'demo.yml', env, target });
}
