/**
 * The proxy for the load, from the environment as Go (so k6) and the Actions toolkit read it:
 * `https_proxy`/`HTTPS_PROXY` for an https target, `http_proxy`/`HTTP_PROXY` for an http one (the
 * lower-case name first; an https target does not fall back to HTTP_PROXY), none for a loopback
 * target (`localhost`, 127.0.0.0/8, `::1`), and none for a host `no_proxy`/`NO_PROXY` names.
 */

export type ProxyChoice =
  | { proxy: URL; variable: string }
  | { proxy?: undefined; bypass?: 'loopback' | 'no_proxy'; variable?: string };

/** A proxy variable that is not a URL tailgate can use: says which and how to write it. */
export class ProxyVariableError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}; write it as http://proxy.example.com:3128 (credentials as http://user:password@host:port), or unset it`);
    this.name = 'ProxyVariableError';
  }
}

export function proxyFor(target: URL, env: Record<string, string | undefined>): ProxyChoice {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((name) => (env[name] ?? '').trim() !== '');
  if (variable === undefined) return {};
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (isLoopback(host)) return { bypass: 'loopback', variable };
  const noProxyName = ['no_proxy', 'NO_PROXY'].find((name) => (env[name] ?? '').trim() !== '');
  if (noProxyName && bypassedBy(env[noProxyName] as string, host, Number(target.port || (target.protocol === 'https:' ? 443 : 80)))) return { bypass: 'no_proxy', variable: noProxyName };
  return { proxy: parseProxy(variable, (env[variable] as string).trim()), variable };
}

function parseProxy(variable: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new ProxyVariableError(variable, 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProxyVariableError(variable, `is a ${url.protocol.slice(0, -1)} proxy; the load goes through http or https proxies only`);
  if (url.pathname !== '/' || url.search !== '') throw new ProxyVariableError(variable, 'has a path; a proxy is a host and port');
  return url;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/**
 * NO_PROXY: entries separated by commas or spaces; `*` is every host; `example.com` and
 * `.example.com` match the host and its subdomains, `*.example.com` the subdomains only; an entry
 * may name a port (`example.com:8443`, `[::1]:8080`); IP addresses match exactly.
 */
export function bypassedBy(noProxy: string, host: string, port: number): boolean {
  for (const raw of noProxy.split(/[,\s]+/)) {
    if (raw === '') continue;
    const entry = raw.toLowerCase();
    const withPort = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? (entry.split(':').length === 2 ? /^(.+):(\d+)$/.exec(entry) : null);
    const name = (withPort ? (withPort[1] as string) : entry).replace(/\.$/, '');
    const entryPort = withPort?.[2] === undefined ? undefined : Number(withPort[2]);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (name === '*') return true;
    if (name.startsWith('*.')) {
      if (host.endsWith(name.slice(1))) return true;
      continue;
    }
    const bare = name.replace(/^\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** A proxy URL without its credentials, for messages and logs. */
export function shownProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}
