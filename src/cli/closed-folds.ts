/**
 * A markdown comment as a reviewer first sees it, for the terminal: each `<details>` fold (per-step
 * tables, the method, the Mermaid charts) shown closed, as its summary on one line, the way the
 * README shows the comment. Folds inside a fold go with it; text outside the folds is kept as it is.
 */
export function withFoldsClosed(markdown: string): string {
  const out: string[] = [];
  let fold: string[] = [];
  let depth = 0;
  for (const line of markdown.split('\n')) {
    const opens = line.match(/<details>/g)?.length ?? 0;
    const closes = line.match(/<\/details>/g)?.length ?? 0;
    if (depth === 0 && opens === 0) {
      out.push(line);
      continue;
    }
    fold.push(line);
    depth += opens - closes;
    if (depth <= 0) {
      const summary = /<summary>(.*?)<\/summary>/.exec(fold.join('\n'))?.[1] ?? '';
      out.push(`<details><summary>${summary}</summary>…</details>`);
      fold = [];
      depth = 0;
    }
  }
  // A fold left open (a comment cut to size closes its folds, so this is only a safeguard) is shown closed too.
  if (fold.length > 0) out.push(`<details><summary>${/<summary>(.*?)<\/summary>/.exec(fold.join('\n'))?.[1] ?? ''}</summary>…</details>`);
  return out.join('\n');
}
