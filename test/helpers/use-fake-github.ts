import { afterEach, beforeEach, expect } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/github-client.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';

/**
 * A fresh fake GitHub and a client for it around every test of the file; after each test, no
 * request may have broken GitHub's OpenAPI description. Read `fake` and `octokit` inside tests.
 */
export function useFakeGitHub(): { readonly fake: FakeGitHub; readonly octokit: GitHubClient } {
  let fake: FakeGitHub | undefined;
  let octokit: GitHubClient | undefined;
  beforeEach(async () => {
    fake = await startFakeGitHub();
    octokit = createGitHubClient({ token: 'test-token', baseUrl: fake.url, retryDelayScaleMs: 1 });
  });
  afterEach(async () => {
    await fake?.close();
    expect(fake?.violations).toEqual([]);
  });
  return {
    get fake(): FakeGitHub {
      if (!fake) throw new Error('useFakeGitHub: read fake inside a test');
      return fake;
    },
    get octokit(): GitHubClient {
      if (!octokit) throw new Error('useFakeGitHub: read octokit inside a test');
      return octokit;
    },
  };
}
