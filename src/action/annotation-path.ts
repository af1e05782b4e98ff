/**
 * Check-run annotations take a path relative to the repository root, with forward slashes. The
 * config's path is as the step was given it, or absolute under the workspace; on a Windows runner
 * either may use backslashes, and the workspace (`D:\a\repo\repo`) is matched whatever its case.
 */
export function repositoryPath(file: string, workspace: string | undefined): string {
  const path = file.replace(/\\/g, '/');
  if (workspace) {
    const root = `${workspace.replace(/\\/g, '/').replace(/\/+$/, '')}/`;
    const windows = /^[A-Za-z]:\//.test(root);
    if (windows ? path.toLowerCase().startsWith(root.toLowerCase()) : path.startsWith(root)) return path.slice(root.length);
  }
  return path.replace(/^(\.\/)+/, '');
}
