/**
 * A VU's cookie jar, as k6 gives each VU one: what the target sets with `Set-Cookie` is kept and
 * sent back on the VU's later requests that match it. The part of RFC 6265 (§5.2 to §5.4) that a
 * client of one origin needs: the Domain, Path, Expires, Max-Age, Secure and HttpOnly attributes,
 * host-only cookies, replacement by name, domain and path, and the order of the Cookie header.
 * There is no public suffix list: every request of a run goes to its target's origin, so a
 * cookie can only ever be offered back to the host that set it or to the domains above it, and a
 * Domain attribute that does not cover that host is refused, as the RFC says. HttpOnly limits
 * scripts, which tailgate has none of: such a cookie is sent as any other.
 */

/** The origin a request goes to, as the jar matches it: its host (lower case) and whether it is https. */
export interface CookieSite {
  host: string;
  secure: boolean;
}

export interface StoredCookie {
  name: string;
  value: string;
  /** Lower case, without a leading dot. */
  domain: string;
  /** No Domain attribute: sent only to the host that set it, not to its subdomains. */
  hostOnly: boolean;
  path: string;
  /** Clock time (ms) at which it expires; Infinity for a session cookie (kept for the VU's life). */
  expiresAtMs: number;
  secure: boolean;
  httpOnly: boolean;
  /** Order of creation, for the Cookie header's order among cookies of equal path length. */
  created: number;
}

/** At most this many cookies in one jar (RFC 6265 asks for at least 50 per domain); the oldest goes first. */
export const MAX_COOKIES = 100;
/** Cookie headers remembered per jar (one per path a VU sends to), before the memory starts over. */
const MAX_CACHED_HEADERS = 64;
/** The longest name and value a cookie may have together (RFC 6265 asks for at least 4096 bytes); a longer one is ignored. */
export const MAX_COOKIE_BYTES = 4096;

export function cookieSite(origin: string): CookieSite {
  const url = new URL(origin);
  return { host: url.hostname.toLowerCase(), secure: url.protocol === 'https:' };
}

export class CookieJar {
  private cookies: StoredCookie[] = [];
  private created = 0;
  /**
   * The Cookie header last made for each request path and site, until the jar changes or its
   * next cookie expires: a VU sends the same few paths again and again, and this is per request.
   */
  private readonly headers = new Map<string, string | undefined>();
  private headersValidUntilMs = -Infinity;

  /** `now`: the wall clock in ms (Expires is a date), injected by tests. */
  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.cookies.length;
  }

  /** Forgets every cookie. */
  clear(): void {
    this.cookies = [];
    this.headers.clear();
  }

  /** The cookies kept, expired ones dropped (for tests and messages). */
  list(): readonly StoredCookie[] {
    this.dropExpired(this.now());
    return this.cookies;
  }

  /** Keeps the cookies of a response's `Set-Cookie` header(s), for a request to `path` (its query ignored) of `site`. */
  store(setCookie: string | string[] | undefined, site: CookieSite, path: string): void {
    if (setCookie === undefined) return;
    const nowMs = this.now();
    for (const text of typeof setCookie === 'string' ? [setCookie] : setCookie) {
      const cookie = parseSetCookie(text, site, path, nowMs);
      if (cookie !== undefined) this.put(cookie, nowMs);
    }
  }

  /** The Cookie header for a request to `path` of `site`, or undefined when no cookie matches. */
  header(site: CookieSite, path: string): string | undefined {
    if (this.cookies.length === 0) return undefined;
    const nowMs = this.now();
    if (nowMs >= this.headersValidUntilMs) {
      this.headers.clear();
      this.headersValidUntilMs = this.cookies.reduce((soonest, cookie) => (cookie.expiresAtMs > nowMs ? Math.min(soonest, cookie.expiresAtMs) : soonest), Infinity);
    }
    const requestPath = pathOnly(path);
    const key = `${site.secure ? 's' : ''}${site.host} ${requestPath}`;
    if (this.headers.has(key)) return this.headers.get(key);
    const header = this.match(site, requestPath, nowMs);
    // Bounded: a VU with ever-new paths (an id in each) starts the cache over.
    if (this.headers.size >= MAX_CACHED_HEADERS) this.headers.clear();
    this.headers.set(key, header);
    return header;
  }

  private match(site: CookieSite, requestPath: string, nowMs: number): string | undefined {
    const matching = this.cookies.filter(
      (cookie) =>
        cookie.expiresAtMs > nowMs &&
        (!cookie.secure || site.secure) &&
        (cookie.hostOnly ? site.host === cookie.domain : domainMatches(site.host, cookie.domain)) &&
        pathMatches(requestPath, cookie.path),
    );
    if (matching.length === 0) return undefined;
    // RFC 6265 §5.4: longer paths first, then the earlier created.
    matching.sort((a, b) => b.path.length - a.path.length || a.created - b.created);
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }

  private put(cookie: Omit<StoredCookie, 'created'>, nowMs: number): void {
    const same = this.cookies.findIndex((old) => old.name === cookie.name && old.domain === cookie.domain && old.path === cookie.path);
    const old = same === -1 ? undefined : (this.cookies[same] as StoredCookie);
    // The same live cookie set again (a session a server renews on every response): only its
    // expiry moves on, and the headers made stay right (their end, set by the old expiry, is early).
    if (old !== undefined && old.expiresAtMs > nowMs && old.value === cookie.value && old.secure === cookie.secure && old.hostOnly === cookie.hostOnly && old.expiresAtMs <= cookie.expiresAtMs) {
      old.expiresAtMs = cookie.expiresAtMs;
      old.httpOnly = cookie.httpOnly;
      return;
    }
    this.headers.clear();
    this.headersValidUntilMs = -Infinity;
    const created = same === -1 ? this.created++ : (this.cookies[same] as StoredCookie).created;
    if (same !== -1) this.cookies.splice(same, 1);
    // An expiry in the past deletes the cookie (how a server logs a session out).
    if (cookie.expiresAtMs <= nowMs) return;
    this.cookies.push({ ...cookie, created });
    if (this.cookies.length > MAX_COOKIES) {
      this.dropExpired(nowMs);
      if (this.cookies.length > MAX_COOKIES) {
        const oldest = this.cookies.reduce((a, b) => (b.created < a.created ? b : a));
        this.cookies.splice(this.cookies.indexOf(oldest), 1);
      }
    }
  }

  private dropExpired(nowMs: number): void {
    if (this.cookies.some((cookie) => cookie.expiresAtMs <= nowMs)) this.cookies = this.cookies.filter((cookie) => cookie.expiresAtMs > nowMs);
  }
}

/**
 * One `Set-Cookie` header value read as RFC 6265 §5.2 and §5.3 read it, for a request to `path`
 * of `site` at `nowMs`; undefined for one a user agent ignores: no `=` or no name, too long, a
 * Domain that does not cover the host.
 */
export function parseSetCookie(text: string, site: CookieSite, path: string, nowMs: number): Omit<StoredCookie, 'created'> | undefined {
  const [pair = '', ...attributes] = text.split(';');
  const equals = pair.indexOf('=');
  if (equals === -1) return undefined;
  const name = pair.slice(0, equals).trim();
  const value = pair.slice(equals + 1).trim();
  if (name === '' || name.length + value.length > MAX_COOKIE_BYTES) return undefined;
  let expiresAtMs = Infinity;
  let maxAgeMs: number | undefined;
  let domain: string | undefined;
  let cookiePath: string | undefined;
  let secure = false;
  let httpOnly = false;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const argument = at === -1 ? '' : attribute.slice(at + 1).trim();
    switch (key) {
      case 'expires': {
        const ms = Date.parse(argument);
        if (!Number.isNaN(ms)) expiresAtMs = ms;
        break;
      }
      case 'max-age':
        // A number of seconds; zero or less expires the cookie now. Anything else is ignored.
        if (/^-?\d+$/.test(argument)) {
          const seconds = Number(argument);
          maxAgeMs = seconds <= 0 ? -Infinity : nowMs + seconds * 1000;
        }
        break;
      case 'domain':
        if (argument !== '') domain = argument.replace(/^\./, '').toLowerCase();
        break;
      case 'path':
        cookiePath = argument.startsWith('/') ? argument : undefined;
        break;
      case 'secure':
        secure = true;
        break;
      case 'httponly':
        httpOnly = true;
        break;
    }
  }
  if (domain !== undefined && !domainMatches(site.host, domain)) return undefined;
  return {
    name,
    value,
    domain: domain ?? site.host,
    hostOnly: domain === undefined,
    path: cookiePath ?? defaultPath(pathOnly(path)),
    // Max-Age wins over Expires (§5.3 step 3).
    expiresAtMs: maxAgeMs ?? expiresAtMs,
    secure,
    httpOnly,
  };
}

/** RFC 6265 §5.1.3: the host is the domain, or a name ending in `.domain` (never for an IP address). */
export function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`) && !isIpAddress(host);
}

/** RFC 6265 §5.1.4: the paths are equal, or the cookie's is a prefix that ends at a `/` of the request's. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 §5.1.4: the request path up to, not including, its last `/` ("/" when that leaves nothing). */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const last = requestPath.lastIndexOf('/');
  return last <= 0 ? '/' : requestPath.slice(0, last);
}

function pathOnly(path: string): string {
  const query = path.search(/[?#]/);
  return query === -1 ? path : path.slice(0, query);
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || host.startsWith('[');
}
