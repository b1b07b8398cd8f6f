// The signed v1 service bundle: build (sign), verify and inspect. No Electron here.
export { signServiceBundle, INNER_GZIP_LEVEL, OUTER_GZIP_LEVEL, GZIP_OS_BYTE } from './sign';
export type { SignOptions, SignResult, SignProgress, SignPhase, CommonSignOptions } from './sign';
export { verifyBundle, inspectBundle, checkPackageSign } from './verify';
export type { VerifyOptions, VerifyReport, VerifyCheck, InspectReport, SignerInfo, InnerSummary, BatchItemSummary } from './verify';
export { createPackageSign, parsePackageSign, verifyPackageSignSignature, sha3Hex } from './jws';
export type { ParsedPackageSign, SignedMember, InnerArchiveName, PackageSignInput } from './jws';
export { INNER_ARCHIVE_NAMES } from './jws';
export { readBundleConfig, parseBundleConfig, configErrorOf } from './config';
export type { BundleConfig, SymlinkPolicy, ConfigSummary, ReadBundleConfigOptions } from './config';
export { scanTree, tarStream, linkEscapes, BUNDLE_MTIME } from './archive';
export type { ScanResult, ArchivePart } from './archive';
export { readBundleContents, BUNDLE_READ_LIMITS, BUNDLE_KIND_OF, INNER_ARCHIVE_OF } from './read';
export type { BundleContents, MemberInfo, BundleKind, BatchFileInfo } from './read';
// schemaVersion 2 deployment bundles: batch.tar.gz in the same container.
export { signDeploymentBundle } from './sign-batch';
export type { BatchSignOptions, BatchSignResult } from './sign-batch';
export { EXCLUSION_WORDS, listBatchContents, planBatch } from './batch-contents';
export type { BatchContents, BatchEntry, BatchEntryKind, BatchExclusion, ExclusionReason, BatchProblem, BatchContentsOptions, BatchPlan } from './batch-contents';
export { readBatchConfig, parseBatchConfig, BATCH_ARCHIVE, BATCH_CONFIG_FILE } from './batch-config';
export type { BatchConfig, BatchReference, CredentialRef } from './batch-config';
export { initDeploymentBundle } from './batch-init';
export type { BatchInitResult } from './batch-init';
export { diagnoseDeploymentBundle } from './batch-check';
export type { BatchDiagnosis } from './batch-check';
