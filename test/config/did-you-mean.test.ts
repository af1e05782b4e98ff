import { describe, expect, it } from 'vitest';
import { closest } from '../../src/config/did-you-mean.js';

const EXECUTORS = ['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate', 'shared-iterations', 'per-vu-iterations'];
const RUN_FLAGS = ['config', 'target', 'out', 'html', 'shard', 'start-at', 'quiet', 'vus', 'rate', 'duration', 'baseline-target', 'seed'];

/** Suggestions ranked by meaning before spelling: the case, then the beginning, then shared words, then edits. */
describe('closest', () => {
  it.each<[string, readonly string[], string | undefined]>([
    // a shortened name finds its whole, not a name fewer edits away
    ['constant-arrival', EXECUTORS, 'constant-arrival-rate'],
    ['ramping-arrival', EXECUTORS, 'ramping-arrival-rate'],
    ['arrival_rate_constant', EXECUTORS, 'constant-arrival-rate'],
    ['shared', EXECUTORS, 'shared-iterations'],
    // the same name in another case comes first, even beside a near spelling
    ['itemID', ['itemIds', 'itemId'], 'itemId'],
    ['Compare', ['auto', 'compare', 'baseline'], 'compare'],
    // the word begins with the candidate (a plural, a past tense)
    ['merged', ['auto', 'compare', 'baseline', 'report', 'merge'], 'merge'],
    ['regressions', ['regression', 'inconclusive', 'never'], 'regression'],
    // plain misspellings still by edit distance
    ['durtion', RUN_FLAGS, 'duration'],
    ['confg', RUN_FLAGS, 'config'],
    ['on_change', ['always', 'on-change', 'never'], 'on-change'],
    // nothing near: no guess
    ['s3', ['auto', 'cache', 'artifact', 'file'], undefined],
    ['sometimes', ['always', 'on-change', 'never'], undefined],
    ['fly', ['init', 'inspect', 'run', 'compare', 'report', 'merge', 'demo', 'calibrate'], undefined],
  ])('%s among %j is %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });
});
