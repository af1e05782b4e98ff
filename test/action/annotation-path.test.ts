import { describe, expect, it } from 'vitest';
import { repositoryPath } from '../../src/action/annotation-path.js';

describe('the path of a broken threshold\'s annotation', () => {
  it.each([
    ['tailgate.yml', undefined, 'tailgate.yml'],
    ['./perf/tailgate.yml', '/home/runner/work/shop/shop', 'perf/tailgate.yml'],
    ['/home/runner/work/shop/shop/perf/tailgate.yml', '/home/runner/work/shop/shop', 'perf/tailgate.yml'],
    ['/home/runner/work/shop/shop/perf/tailgate.yml', '/home/runner/work/shop/shop/', 'perf/tailgate.yml'],
    // A POSIX workspace is matched exactly: another folder that only starts alike is not inside it.
    ['/home/runner/work/shop/shop2/tailgate.yml', '/home/runner/work/shop/shop', '/home/runner/work/shop/shop2/tailgate.yml'],
    ['/home/runner/work/Shop/shop/tailgate.yml', '/home/runner/work/shop/shop', '/home/runner/work/Shop/shop/tailgate.yml'],
    // Windows runners: backslashes, and a workspace whose case differs.
    ['perf\\tailgate.yml', 'D:\\a\\shop\\shop', 'perf/tailgate.yml'],
    ['.\\perf\\tailgate.yml', 'D:\\a\\shop\\shop', 'perf/tailgate.yml'],
    ['D:\\a\\shop\\shop\\perf\\tailgate.yml', 'D:\\a\\shop\\shop', 'perf/tailgate.yml'],
    ['d:\\a\\Shop\\shop\\tailgate.yml', 'D:\\a\\shop\\shop', 'tailgate.yml'],
  ])('%s in %s is %s', (file, workspace, expected) => {
    expect(repositoryPath(file, workspace)).toBe(expected);
  });
});
