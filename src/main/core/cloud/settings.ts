// The app's cloud settings (the `--cloud` and `--ca` of the CLI, kept in settings.json):
// checked before they are saved, so a saved setting always works as an address and a CA.
import { appError, AppFailure } from '../../../shared/errors';
import { parseCloudOverride } from './address';
import { trustedCas } from './identity';

export interface CloudSettings {
  /** `https://HOST:PORT`; '' or absent: the address from config and certificate. */
  url?: string;
  /** A PEM file of the cloud's certificate authority; '' or absent: the system's CAs. */
  caFile?: string;
}

/** Refuses an address that is not https://HOST[:PORT] and a CA file that is not a readable PEM certificate. */
export async function checkCloudSettings(s: CloudSettings): Promise<void> {
  if (s.url) {
    try {
      parseCloudOverride(s.url);
    } catch (e) {
      if (e instanceof AppFailure) throw appError(e.error.code, e.error.message.replace(/^The cloud address/, 'The cloud URL'), { file: 'settings', path: 'cloud.url' });
      throw e;
    }
  }
  if (s.caFile) {
    try {
      await trustedCas(s.caFile);
    } catch (e) {
      if (e instanceof AppFailure) throw appError(e.error.code, e.error.message, { file: s.caFile, path: 'cloud.caFile' });
      throw e;
    }
  }
}
