// The real configs and bundle members in `shared/`, which lies beside the checkout (in CI
// as on a developer's machine), wherever that checkout is.
import path from 'node:path';

export const REAL_FIXTURES = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'real');
/** Six service configs published by the platform's authors: <name>/meta/config.yaml. */
export const DEMO_SERVICES = path.join(REAL_FIXTURES, 'demo-services');
/** config.yaml and package.sign from a bundle made by aos-signer 1.x. */
export const REAL_SIGNER_BUNDLE = path.join(REAL_FIXTURES, 'aos-signer-1x-cpu_load');
