import { X509Certificate } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { quote } from './echo.js';
import type { ReadDataFile } from './data-files.js';
import type { Problems } from './problems.js';
import type { TlsCa } from './profile-types.js';

/**
 * The profile's `tlsCaFile`: the CA certificate(s), PEM, that the load (and the check before it)
 * trusts besides the usual ones, for a preview signed by an internal CA. Read once, relative to
 * the profile's folder; a file that cannot be read or holds no certificate is refused with the fix.
 */
export function readTlsCaFile(file: string | undefined, insecure: boolean, profileFile: string, read: ReadDataFile, problems: Problems): TlsCa | undefined {
  if (file === undefined) return undefined;
  const at = ['tlsCaFile'];
  if (insecure) {
    problems.add(at, 'goes with insecureSkipTLSVerify: true, which accepts any certificate, so the CA would never be asked', 'keep tlsCaFile (the target is verified against it) and remove insecureSkipTLSVerify');
    return undefined;
  }
  const path = resolve(dirname(profileFile), file);
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.add(at, `cannot read ${quote(path)} (${code})`, `give the path of the CA's PEM file relative to the profile's folder (${dirname(resolve(profileFile))}), e.g. tlsCaFile: ca.pem`);
    return undefined;
  }
  const blocks = pemCertificates(text);
  if (blocks.length === 0) {
    problems.add(at, `${file} holds no PEM certificate (a block from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----)`, `give the CA's certificate in PEM form; from DER: openssl x509 -inform der -in ca.der -out ca.pem`);
    return undefined;
  }
  for (const [i, pem] of blocks.entries()) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      problems.add(at, `${file}: certificate ${i + 1} cannot be read (${error instanceof Error ? error.message : String(error)})`, 'give the CA certificate as the CA issued it, in PEM form');
      return undefined;
    }
  }
  return { file, certificates: blocks };
}

/** The PEM certificate blocks of a text, in order. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
