/**
 * The profile `tailgate demo` runs against the bundled sample service: a realistic shop mix at
 * a steady arrival rate, short enough to run twice in under half a minute.
 */
export const DEMO_PROFILE_YAML = `# tailgate demo profile: the bundled sample service, loaded at a steady rate.
name: demo
target: \${TARGET_URL}
warmup: 2s
block: 1s
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
