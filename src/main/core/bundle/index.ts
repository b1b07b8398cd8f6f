// The signed v1 service bundle: build (sign), verify and inspect. No Electron here.
export { signServiceBundle, INNER_GZIP_LEVEL, OUTER_GZIP_LEVEL, GZIP_OS_BYTE } from './sign';
export type { SignOptions, SignResult, SignProgress, SignPhase, CommonSignOptions } from './sign';
export { verifyBundle, inspectBundle, checkPackageSign } from './verify';
export type { VerifyOptions, VerifyReport, VerifyCheck, InspectReport, SignerInfo } from './verify';
export { createPackageSign, parsePackageSign, verifyPackageSignSignature, sha3Hex } from './jws';
export type { ParsedPackageSign, SignedMember, InnerArchiveName, PackageSignInput } from './jws';
export { INNER_ARCHIVE_NAMES } from './jws';
export { readBundleConfig, parseBundleConfig, configErrorOf } from './config';
export type { BundleConfig, SymlinkPolicy, ConfigSummary, ReadBundleConfigOptions } from './config';
export { scanTree, tarStream, linkEscapes, BUNDLE_MTIME } from './archive';
export type { ScanResult, ArchivePart } from './archive';
export { readBundleContents, BUNDLE_READ_LIMITS } from './read';
export type { BundleContents, MemberInfo } from './read';
