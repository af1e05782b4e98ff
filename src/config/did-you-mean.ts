/** "did you mean …": the near miss of a misspelt key, value, name or flag. */

/**
 * The candidate `word` most likely meant, if one is near enough. Ranked by meaning before
 * spelling, so that a shortened name finds its whole (`constant-arrival` is
 * `constant-arrival-rate`, not `constant-vus`, which is fewer edits away):
 *  1. the same word in another case (`itemID` for `itemId`);
 *  2. one that begins with the word, or that the word begins with (`merged` for `merge`), then
 *     one that contains it or that it contains;
 *  3. one sharing most of its words (`arrival_constant` for `constant-arrival-rate`);
 *  4. one within edit distance 2 (`durtion` for `duration`).
 * Within a rank the fewest edits win, then the candidate listed first.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const ranked = candidates
    .map((candidate, index) => ({ candidate, index, rank: rankOf(word, candidate), distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter((c): c is { candidate: string; index: number; rank: number; distance: number } => c.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.distance - b.distance || a.index - b.index);
  return ranked[0]?.candidate;
}

/** The rank of `candidate` as what `written` meant, or undefined when it is not near. */
function rankOf(written: string, original: string): number | undefined {
  const word = written.toLowerCase();
  const candidate = original.toLowerCase();
  if (word === candidate) return 0;
  // Short words are contained in too much to mean anything by it.
  if (word.length >= 3 && candidate.length >= 3) {
    if (candidate.startsWith(word) || word.startsWith(candidate)) return 1;
    if (candidate.includes(word) || word.includes(candidate)) return 2;
    if (sharesMostWords(written, original)) return 3;
  }
  if (candidate.length > 2 && editDistance(word, candidate) <= 2) return 4;
  return undefined;
}

/** Words split at -, _, ., spaces and camelCase; at least two shared, or the only one of both. */
function sharesMostWords(word: string, candidate: string): boolean {
  const a = words(word);
  const b = words(candidate);
  const shared = a.filter((w) => w.length >= 3 && b.includes(w)).length;
  return shared >= 2 || (shared === 1 && a.length === 1 && b.length === 1);
}

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[-_.\s/]+/)
    .filter((w) => w.length > 0);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
