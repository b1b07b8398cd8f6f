// The members of a bundle made by the platform's own signer (aos-signer 1.x), unpacked, from
// the fixtures shared beside this repository: the tests that compare with it need it present.
export { REAL_SIGNER_BUNDLE as REAL_BUNDLE_DIR } from '../../support/shared-fixtures';
