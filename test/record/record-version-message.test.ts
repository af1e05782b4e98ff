import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../src/record/read-run-record.js';

/** A record in a format this tailgate does not read says whether it is newer or not. */
describe('run record format versions', () => {
  it.each([
    ['tailgate.run/v0', /format tailgate\.run\/v0, an older or unknown version that this tailgate does not read \(it reads tailgate\.run\/v1\).*Fix: re-record it/],
    ['tailgate.run/vX', /format tailgate\.run\/vX, an older or unknown version/],
    ['tailgate.run/v2', /format tailgate\.run\/v2, newer than this tailgate reads.*Fix: upgrade tailgate/],
    [`tailgate.run/v${'9'.repeat(5000)}`, /format tailgate\.run\/v9{46}… \(5014 characters\), an older or unknown version/],
  ])('%s', (schema, message) => {
    expect(() => parseRunRecord(JSON.stringify({ schema }), 'run.json')).toThrow(message);
  });
});
