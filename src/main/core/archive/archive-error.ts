// What a strict archive reader reports: one kind of problem, a message for people, and
// where in the archive it is (the entry's name and the byte offset of its header in the
// decompressed stream). Readers stop at the first problem: after it, what other tools
// would see is no longer defined.

export type ArchiveProblem =
  | 'not-gzip' // the file does not start with a gzip header (for example a plain tar)
  | 'gzip' // a malformed gzip header, corrupt deflate data, a bad CRC or length
  | 'gzip-trailing-data' // bytes after the first gzip member: a second member or garbage
  | 'truncated' // the file ends inside a header, an entry or before the end-of-archive blocks
  | 'tar-header' // a header block that is malformed (checksum, magic, numeric field)
  | 'pax' // a malformed, oversized or ambiguous pax or GNU long-name header
  | 'entry-type' // an entry type that is refused (devices, FIFOs, sparse files, unknown)
  | 'entry-name' // a name that is absolute, climbs with '..', is not UTF-8, or is too long
  | 'duplicate' // two entries for the same path, or a file where a folder has entries
  | 'link' // a symlink or hard link that leaves its root or is written through
  | 'trailing-data' // data after the end-of-archive blocks
  | 'limit'; // more entries or bytes than any real bundle has

export class ArchiveError extends Error {
  constructor(
    readonly problem: ArchiveProblem,
    message: string,
    /** The entry's name as stored, when the problem concerns one entry. */
    readonly entry?: string,
    /** Byte offset of the header concerned in the (decompressed) tar stream. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export const isArchiveError = (e: unknown): e is ArchiveError => e instanceof ArchiveError;
