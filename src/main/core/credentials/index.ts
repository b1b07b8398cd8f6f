// Signing credentials: PKCS#12 / PEM loading, lookup, certificate summary and the JWT kid.
export { describeCredentials, summarizeCertificate, summarizeCredentials, certificateStatus, guessRole, keyTypeOf, checkValidityForSigning, EXPIRY_WARNING_DAYS } from './summary';
export type { CertificateStatus } from './summary';
export { loadCredentials, loadCredentialFile, loadPemPair, readPkcs12, requireRsaSigningKey } from './load';
export type { LoadedCredentials, CredentialFiles, SigningKey } from './load';
export { resolveCredentialPath, credentialCandidates, securityDir } from './locate';
export type { LocateOptions } from './locate';
export { computeKid, decodeKid, kidText } from './kid';
export type { DecodedKid, KidCheck } from './kid';
export { parseCertificateDer, rfc4514, serialHex, escapeRfc4514Value, pemBlocks, OID } from './x509';
export type { ParsedCertificate, DistinguishedName, NameAttribute } from './x509';
