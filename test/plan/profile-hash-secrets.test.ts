import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { profileHash } from '../../src/plan/profile-hash.js';

/**
 * The profile hash is shown in reports and stored beside every run. A value from the environment
 * in a request line or a body must not be recoverable from it: with the rest of the profile known,
 * a short secret could be found by hashing guesses. So the hash reads such values as `***`.
 */
const PROFILE = `target: https://api.example.com
scenarios: { s: { executor: constant-vus, vus: 1, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /items?api_key=\${API_KEY}
      - request: POST /orders
        body: { token: "\${API_KEY}", quantity: 1 }
`;

const hashWith = (env: Record<string, string>, text = PROFILE): string => profileHash(parseProfile(text, { file: 'tailgate.yml', env }));

describe('the profile hash and values from the environment', () => {
  it('is the same whatever the secret in a request line or a body is', () => {
    expect(hashWith({ API_KEY: '4821' })).toBe(hashWith({ API_KEY: 'a-much-longer-key-0b6d2e44aa' }));
  });

  it('still tells apart what the load does: another path, or another literal in the body', () => {
    const base = hashWith({ API_KEY: '4821' });
    expect(hashWith({ API_KEY: '4821' }, PROFILE.replace('GET /items', 'GET /products'))).not.toBe(base);
    expect(hashWith({ API_KEY: '4821' }, PROFILE.replace('quantity: 1', 'quantity: 2'))).not.toBe(base);
  });

  it('of a profile with no values from the environment in its requests is what it was', () => {
    const plain = PROFILE.replace('?api_key=${API_KEY}', '').replace('"${API_KEY}"', '"fixed"');
    // Nothing to mask: the hash depends on the literal values as before.
    expect(hashWith({}, plain)).not.toBe(hashWith({}, plain.replace('"fixed"', '"other"')));
  });
});
