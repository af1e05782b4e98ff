import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import paired from '../../schema/tailgate.paired.schema.json' with { type: 'json' };
import run from '../../schema/tailgate.run.schema.json' with { type: 'json' };
import { syntheticPaired } from '../helpers/synthetic-paired.js';

describe('schema/tailgate.paired.schema.json', () => {
  const validate = new Ajv({ strict: true, allErrors: false }).addSchema(run).compile(paired);

  it('accepts a paired record as tailgate writes it', () => {
    const record = JSON.parse(JSON.stringify(syntheticPaired({ seed: 41 })));
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses an unknown order or arm', () => {
    const record = JSON.parse(JSON.stringify(syntheticPaired({ seed: 42 })));
    record.order[0] = 'left';
    expect(validate(record)).toBe(false);
  });
});
