import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { Profile } from '../config/profile-types.js';
import { pemCertificates } from '../config/tls-ca-file.js';
import type { Logger } from '../logging.js';
import { proxyFor, shownProxy, type ProxyChoice } from './proxy-env.js';

/** How the load reaches a target: what its TLS trusts, and the proxy between. The load and the check before it use the same. */
export interface TargetTransport {
  /** Options of the target's TLS handshakes: `{}` (Node.js's trust), any certificate, or extra CAs. */
  tls: TargetTls;
  /** The proxy from the environment (proxy-env.ts), and how the choice was made. */
  proxy: ProxyChoice;
}

export type TargetTls = { rejectUnauthorized?: false; ca?: string[] };

/**
 * The transport of a profile's load to `origin`: `insecureSkipTLSVerify` accepts any certificate;
 * `tlsCaFile` trusts its CAs besides the usual ones (Node.js's, and `NODE_EXTRA_CA_CERTS`, which
 * an explicit CA list would otherwise replace). Never used for GitHub's API.
 */
export function targetTransport(profile: Pick<Profile, 'insecureSkipTLSVerify' | 'tlsCa'>, origin: string, env: Record<string, string | undefined>): TargetTransport {
  const proxy = proxyFor(new URL(origin), env);
  if (profile.insecureSkipTLSVerify) return { tls: { rejectUnauthorized: false }, proxy };
  if (profile.tlsCa) return { tls: { ca: [...defaultCertificates(env), ...profile.tlsCa.certificates] }, proxy };
  return { tls: {}, proxy };
}

/** Says which way the load goes to `origin` when a proxy variable is set: through it, or around it and why. */
export function describeProxy(origin: string, choice: ProxyChoice, logger: Logger): void {
  if (choice.proxy) logger.info(`the load goes to ${origin} through the proxy ${shownProxy(choice.proxy)} (${choice.variable}); requests are still for ${origin} alone`);
  else if (choice.bypass === 'loopback') logger.info(`${choice.variable} is set, but ${origin} is loopback: the load goes to it directly`);
  else if (choice.bypass === 'no_proxy') logger.info(`${origin} is in ${choice.variable}: the load goes to it directly, not through the proxy`);
}

/** Says what the TLS settings change, once before the load, for those of `origins` that are https. */
export function describeTransport(profile: Pick<Profile, 'insecureSkipTLSVerify' | 'tlsCa'>, origins: readonly string[], logger: Logger): void {
  const subject = origins.filter((origin) => origin.startsWith('https:')).join(' and ');
  if (subject === '') return;
  if (profile.insecureSkipTLSVerify) logger.warn(`insecureSkipTLSVerify: the certificate of ${subject} is not verified (the load and the check before it only)`);
  if (profile.tlsCa) logger.info(`tlsCaFile: ${subject} is verified against ${profile.tlsCa.file} (${profile.tlsCa.certificates.length} certificate(s)) besides the usual CAs`);
}

/** Node.js's trusted CAs, `NODE_EXTRA_CA_CERTS` included (Node 20 has no getCACertificates: read the file). */
function defaultCertificates(env: Record<string, string | undefined>): string[] {
  const get = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
  if (get) return get('default');
  const extra = env.NODE_EXTRA_CA_CERTS;
  let extraPem = '';
  try {
    if (extra) extraPem = readFileSync(extra, 'utf8');
  } catch {
    // Node.js itself warns about an unreadable NODE_EXTRA_CA_CERTS at start-up and goes on without it.
  }
  return [...tls.rootCertificates, ...pemCertificates(extraPem)];
}
