import { describe, expect, it } from 'vitest';
import { CookieJar, defaultPath, domainMatches, MAX_COOKIES, parseSetCookie, pathMatches, type CookieSite } from '../../src/engine/cookie-jar.js';

/** A VU's cookie jar against RFC 6265's matching rules, on a clock the test moves. */

const HTTP: CookieSite = { host: 'shop.example.com', secure: false };
const HTTPS: CookieSite = { host: 'shop.example.com', secure: true };
const T0 = Date.parse('2026-12-07T12:00:00Z');

function jarAt(start = T0): { jar: CookieJar; advance: (ms: number) => void } {
  let now = start;
  return { jar: new CookieJar(() => now), advance: (ms) => (now += ms) };
}

describe('cookie jar', () => {
  it('sends back what a response set, to the same host, and nothing before', () => {
    const { jar } = jarAt();
    expect(jar.header(HTTP, '/')).toBeUndefined();
    jar.store('session=abc123; Path=/; HttpOnly', HTTP, '/login');
    expect(jar.header(HTTP, '/cart')).toBe('session=abc123');
    // An HttpOnly cookie is sent on HTTP requests like any other: it only hides it from scripts.
    expect(jar.list()[0]).toMatchObject({ name: 'session', httpOnly: true, hostOnly: true });
  });

  it('keeps several cookies of one response (undici gives Set-Cookie as a list) and replaces by name, domain and path', () => {
    const { jar } = jarAt();
    jar.store(['a=1; Path=/', 'b=2; Path=/'], HTTP, '/');
    jar.store('a=3; Path=/', HTTP, '/');
    expect(jar.header(HTTP, '/')).toBe('a=3; b=2');
    // Same name under another path is another cookie.
    jar.store('a=4; Path=/api', HTTP, '/');
    expect(jar.header(HTTP, '/api/items')).toBe('a=4; a=3; b=2');
    expect(jar.size).toBe(3);
  });

  it('orders the Cookie header longest path first, then oldest first (RFC 6265 §5.4)', () => {
    const { jar } = jarAt();
    jar.store('z=1; Path=/', HTTP, '/');
    jar.store('y=2; Path=/api/v1', HTTP, '/');
    jar.store('x=3; Path=/api', HTTP, '/');
    jar.store('w=4; Path=/', HTTP, '/');
    expect(jar.header(HTTP, '/api/v1/orders')).toBe('y=2; x=3; z=1; w=4');
  });

  describe('domain', () => {
    it('a host-only cookie goes to its host alone; a Domain cookie to the domain and its subdomains', () => {
      const { jar } = jarAt();
      jar.store('host=1', { host: 'example.com', secure: false }, '/');
      jar.store('wide=2; Domain=.example.com', { host: 'example.com', secure: false }, '/');
      expect(jar.header({ host: 'example.com', secure: false }, '/')).toBe('host=1; wide=2');
      expect(jar.header({ host: 'api.example.com', secure: false }, '/')).toBe('wide=2');
      expect(jar.header({ host: 'notexample.com', secure: false }, '/')).toBeUndefined();
    });

    it('refuses a Domain that does not cover the host that set it', () => {
      expect(parseSetCookie('a=1; Domain=other.com', HTTP, '/', T0)).toBeUndefined();
      expect(parseSetCookie('a=1; Domain=api.shop.example.com', HTTP, '/', T0)).toBeUndefined();
      expect(parseSetCookie('a=1; Domain=EXAMPLE.com', HTTP, '/', T0)).toMatchObject({ domain: 'example.com', hostOnly: false });
    });

    it('matches an IP address only exactly', () => {
      expect(domainMatches('127.0.0.1', '127.0.0.1')).toBe(true);
      expect(domainMatches('10.127.0.0.1', '0.0.1')).toBe(true); // not an IP: a name ending in .0.0.1
      expect(domainMatches('1.127.0.0', '127.0.0')).toBe(false);
      expect(domainMatches('a.example.com', 'example.com')).toBe(true);
      expect(domainMatches('aexample.com', 'example.com')).toBe(false);
      const { jar } = jarAt();
      jar.store('loop=1', { host: '127.0.0.1', secure: false }, '/');
      expect(jar.header({ host: '127.0.0.1', secure: false }, '/x')).toBe('loop=1');
    });
  });

  describe('path', () => {
    it('defaults to the request path up to its last slash', () => {
      expect(defaultPath('/')).toBe('/');
      expect(defaultPath('/login')).toBe('/');
      expect(defaultPath('/account/login')).toBe('/account');
      expect(defaultPath('')).toBe('/');
      const { jar } = jarAt();
      jar.store('a=1', HTTP, '/account/login?next=/home');
      expect(jar.list()[0]?.path).toBe('/account');
    });

    it('matches the path itself and what lies below it at a slash, never a longer name', () => {
      expect(pathMatches('/api', '/api')).toBe(true);
      expect(pathMatches('/api/items', '/api')).toBe(true);
      expect(pathMatches('/api/items', '/api/')).toBe(true);
      expect(pathMatches('/apix', '/api')).toBe(false);
      expect(pathMatches('/', '/api')).toBe(false);
      const { jar } = jarAt();
      jar.store('a=1; Path=/api', HTTP, '/');
      expect(jar.header(HTTP, '/api?page=2')).toBe('a=1');
      expect(jar.header(HTTP, '/apix')).toBeUndefined();
    });

    it('takes a Path that does not start with / as no Path', () => {
      expect(parseSetCookie('a=1; Path=api', HTTP, '/shop/cart', T0)?.path).toBe('/shop');
    });
  });

  describe('expiry', () => {
    it('drops a cookie once Max-Age seconds have passed', () => {
      const { jar, advance } = jarAt();
      jar.store('short=1; Max-Age=60', HTTP, '/');
      advance(59_999);
      expect(jar.header(HTTP, '/')).toBe('short=1');
      advance(1);
      expect(jar.header(HTTP, '/')).toBeUndefined();
      expect(jar.size).toBe(1);
      expect(jar.list()).toEqual([]);
    });

    it('reads Expires as a date, and lets Max-Age win over it', () => {
      const { jar, advance } = jarAt();
      jar.store('dated=1; Expires=Mon, 07 Dec 2026 12:10:00 GMT', HTTP, '/');
      jar.store('both=1; Expires=Mon, 07 Dec 2026 12:10:00 GMT; Max-Age=3600', HTTP, '/');
      advance(9 * 60_000);
      expect(jar.header(HTTP, '/')).toBe('dated=1; both=1');
      advance(2 * 60_000);
      expect(jar.header(HTTP, '/')).toBe('both=1');
    });

    it('deletes a kept cookie when a response sets it expired (a logout)', () => {
      const { jar } = jarAt();
      jar.store('session=abc', HTTP, '/');
      jar.store('session=; Max-Age=0', HTTP, '/');
      expect(jar.header(HTTP, '/')).toBeUndefined();
      jar.store('session=abc', HTTP, '/');
      jar.store('session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', HTTP, '/');
      expect(jar.size).toBe(0);
    });

    it('keeps a session a server renews on every response alive past its first expiry', () => {
      const { jar, advance } = jarAt();
      jar.store('sid=1; Max-Age=10', HTTP, '/');
      expect(jar.header(HTTP, '/a')).toBe('sid=1');
      advance(8_000);
      jar.store('sid=1; Max-Age=10', HTTP, '/');
      advance(8_000);
      expect(jar.header(HTTP, '/a')).toBe('sid=1');
      advance(2_000);
      expect(jar.header(HTTP, '/a')).toBeUndefined();
      // Set again once expired, it is a cookie again.
      jar.store('sid=1; Max-Age=10', HTTP, '/');
      expect(jar.header(HTTP, '/a')).toBe('sid=1');
    });

    it('ignores an Expires it cannot read and a Max-Age that is not a number', () => {
      expect(parseSetCookie('a=1; Expires=someday; Max-Age=soon', HTTP, '/', T0)?.expiresAtMs).toBe(Infinity);
    });
  });

  it('sends a Secure cookie only over https', () => {
    const { jar } = jarAt();
    jar.store('token=s; Secure', HTTPS, '/');
    jar.store('plain=p', HTTPS, '/');
    expect(jar.header(HTTPS, '/')).toBe('token=s; plain=p');
    expect(jar.header(HTTP, '/')).toBe('plain=p');
  });

  it('ignores what a user agent ignores: no =, no name, a name and value too long', () => {
    expect(parseSetCookie('novalue', HTTP, '/', T0)).toBeUndefined();
    expect(parseSetCookie('=x', HTTP, '/', T0)).toBeUndefined();
    expect(parseSetCookie(`big=${'x'.repeat(5000)}`, HTTP, '/', T0)).toBeUndefined();
    expect(parseSetCookie(' spaced = v ; path=/', HTTP, '/', T0)).toMatchObject({ name: 'spaced', value: 'v', path: '/' });
  });

  it('keeps at most MAX_COOKIES, dropping the oldest', () => {
    const { jar } = jarAt();
    for (let i = 0; i <= MAX_COOKIES; i++) jar.store(`c${i}=${i}`, HTTP, '/');
    expect(jar.size).toBe(MAX_COOKIES);
    expect(jar.list().some((cookie) => cookie.name === 'c0')).toBe(false);
    expect(jar.list().some((cookie) => cookie.name === `c${MAX_COOKIES}`)).toBe(true);
  });

  it('makes each request its header from the jar as it is now (a header made before a change is not reused)', () => {
    const { jar } = jarAt();
    jar.store('a=1', HTTP, '/');
    expect(jar.header(HTTP, '/x?page=1')).toBe('a=1');
    jar.store('b=2', HTTP, '/');
    expect(jar.header(HTTP, '/x?page=2')).toBe('a=1; b=2');
    jar.store('a=9', HTTP, '/');
    expect(jar.header(HTTP, '/x')).toBe('a=9; b=2');
    expect(jar.header(HTTPS, '/x')).toBe('a=9; b=2');
    jar.store('s=1; Secure', HTTPS, '/');
    expect(jar.header(HTTP, '/x')).toBe('a=9; b=2');
    expect(jar.header(HTTPS, '/x')).toBe('a=9; b=2; s=1');
    for (let i = 0; i < 200; i++) expect(jar.header(HTTP, `/items/${i}`)).toBe('a=9; b=2');
  });

  it('clear() forgets everything', () => {
    const { jar } = jarAt();
    jar.store('a=1', HTTP, '/');
    jar.clear();
    expect(jar.header(HTTP, '/')).toBeUndefined();
  });
});
