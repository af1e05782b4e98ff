/**
 * Where load may go when the workflow did not write the URL itself (a deployment's
 * `environment_url`): the origin of the profile's own target, and the hosts the Action's
 * `allowed-hosts` input lists. The profile's headers (tokens, bypass secrets) go with every
 * request, so a URL anyone else names is loaded only when it is one of these.
 */

/**
 * An `allowed-hosts` entry: `host` (any port), `host:port`, `[::1]:port`, or `*.example.com`
 * (any subdomain of example.com, not example.com itself), lower-cased.
 */
export interface AllowedHost {
  host: string;
  port?: string;
}

/** Reads one entry as the Action's input parser accepts it (`host`, `host:port`, `*.host`). */
export function parseAllowedHost(entry: string): AllowedHost {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(entry.trim().toLowerCase());
  const host = match?.[1] ?? '';
  const port = match?.[2];
  return port === undefined ? { host } : { host, port };
}

/** Whether `url`'s origin is `target`'s, or its host (and port) is one of `hosts`. */
export function isAllowedUrl(url: string, allowed: { target?: string; hosts: readonly string[] }): boolean {
  const parsed = URL.parse(url);
  if (parsed === null) return false;
  if (allowed.target !== undefined && URL.parse(allowed.target)?.origin === parsed.origin) return true;
  const host = parsed.hostname.toLowerCase();
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return allowed.hosts.map(parseAllowedHost).some((entry) => {
    if (entry.port !== undefined && entry.port !== port) return false;
    if (entry.host.startsWith('*.')) return host.endsWith(entry.host.slice(1)) && host.length > entry.host.length - 1;
    return entry.host === host;
  });
}
