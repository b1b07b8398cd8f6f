// The members of a bundle made by the platform's own signer (aos-signer 1.x), unpacked, from
// the fixtures shared beside this repository: the tests that compare with it need it present.
import path from 'node:path';

/** `shared/` lies beside the checkout, in CI as on a developer's machine. */
export const REAL_BUNDLE_DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'real', 'aos-signer-1x-cpu_load');
