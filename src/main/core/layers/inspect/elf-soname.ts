// Reads a shared library's DT_SONAME from its bytes as they stream past, once, without
// holding the file: ELF32 and ELF64, little and big endian. The ELF and program headers
// (in the first 64 KiB, where every linker puts them) give the PT_DYNAMIC segment and the
// PT_LOAD mapping; the dynamic segment (captured as it passes, 64 KiB at most) gives
// DT_STRTAB and the soname's offset in it. The string table itself usually comes before
// the dynamic segment, so it is gone by the time its address is known: instead, every
// short printable NUL-terminated string that contains ".so" is remembered with its file
// offset (4096 at most), and the soname is looked up among them at the end. A soname
// without ".so" in it (no convention produces one) is reported as not found.

export interface ElfSoname {
  elf: true;
  bits: 32 | 64;
  endian: 'little' | 'big';
  soname?: string;
  /** Why no soname was read, when none was. */
  problem?: string;
}

export type ElfReadResult = ElfSoname | { elf: false };

const HEADER_WINDOW = 64 << 10;
const MAX_DYNAMIC_BYTES = 64 << 10;
const MAX_STRINGS = 4096;
const MAX_STRING_BYTES = 255;
const DOT_SO = Buffer.from('.so');

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0;
const DT_STRTAB = 5;
const DT_SONAME = 14;

interface Segment {
  offset: number;
  vaddr: number;
  filesz: number;
}

interface Layout {
  bits: 32 | 64;
  little: boolean;
  loads: Segment[];
  dynamic?: Segment;
}

export class ElfSonameReader {
  private position = 0;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private layout: Layout | undefined;
  private notElf = false;
  private headerProblem: string | undefined;
  private dynamic: Buffer | undefined;
  private dynamicFilled = 0;
  /** Strings that may be sonames: file offset of the first byte → text (in offset order). */
  private readonly strings: { at: number; text: string }[] = [];
  /** The unterminated string at the end of the last chunk (start offset, bytes). */
  private pending: { at: number; bytes: Buffer } | undefined;

  write(chunk: Buffer): void {
    if (this.notElf || chunk.length === 0) return;
    const start = this.position;
    this.position += chunk.length;
    if (this.headBytes < HEADER_WINDOW) {
      const take = chunk.subarray(0, HEADER_WINDOW - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      if (!this.layout && !this.headerProblem) this.tryLayout();
      if (this.notElf) return;
    }
    this.captureDynamic(chunk, start);
    this.scanStrings(chunk, start);
  }

  finish(): ElfReadResult {
    if (!this.layout && !this.headerProblem && !this.notElf) this.tryLayout(true);
    if (this.notElf) return { elf: false };
    if (this.headerProblem || !this.layout) {
      const bits = this.headBytes > 4 && this.headBuffer()[4] === 1 ? 32 : 64;
      const endian = this.headBytes > 5 && this.headBuffer()[5] === 2 ? 'big' : 'little';
      return { elf: true, bits, endian, problem: this.headerProblem ?? 'the ELF header is cut short' };
    }
    const { bits, little } = this.layout;
    const base = { elf: true as const, bits, endian: little ? ('little' as const) : ('big' as const) };
    if (!this.layout.dynamic) return { ...base, problem: 'no dynamic segment (a static object, not a shared library)' };
    if (!this.dynamic || this.dynamicFilled < this.dynamic.length) return { ...base, problem: 'the file ends before its dynamic segment' };
    const tags = this.dynamicTags(this.dynamic, this.layout);
    if (tags.soname === undefined) return { ...base, problem: 'no DT_SONAME entry' };
    if (tags.strtab === undefined) return { ...base, problem: 'DT_SONAME without DT_STRTAB' };
    const strtab = this.fileOffsetOf(tags.strtab);
    if (strtab === undefined) return { ...base, problem: 'DT_STRTAB lies outside every loaded segment' };
    const soname = this.stringAt(strtab + tags.soname);
    return soname === undefined ? { ...base, problem: 'the soname string was not found (not a lib*.so* name)' } : { ...base, soname };
  }

  private headBuffer(): Buffer {
    if (this.head.length > 1) this.head.splice(0, this.head.length, Buffer.concat(this.head));
    return this.head[0] ?? Buffer.alloc(0);
  }

  /** Reads the ELF and program headers once enough of the file has come (or it ended). */
  private tryLayout(atEnd = false): void {
    const h = this.headBuffer();
    if (h.length < 4 && !atEnd) return;
    if (h.length < 4 || h[0] !== 0x7f || h[1] !== 0x45 || h[2] !== 0x4c || h[3] !== 0x46) {
      this.notElf = true;
      this.strings.length = 0;
      return;
    }
    if (h.length < 64 && !atEnd) return;
    if (h.length < 52) {
      this.headerProblem = 'the ELF header is cut short';
      return;
    }
    const cls = h[4];
    const data = h[5];
    if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) {
      this.headerProblem = `unknown ELF class ${cls} or data encoding ${data}`;
      return;
    }
    const bits = cls === 1 ? 32 : 64;
    const little = data === 1;
    const rd = reader(h, little);
    if (bits === 64 && h.length < 64) {
      this.headerProblem = 'the ELF header is cut short';
      return;
    }
    const phoff = bits === 64 ? rd.u64(0x20) : rd.u32(0x1c);
    const phentsize = rd.u16(bits === 64 ? 0x36 : 0x2a);
    const phnum = rd.u16(bits === 64 ? 0x38 : 0x2c);
    const minEntry = bits === 64 ? 56 : 32;
    if (phnum === 0) {
      this.layout = { bits, little, loads: [] };
      return;
    }
    if (phentsize < minEntry) {
      this.headerProblem = `program header entries of ${phentsize} bytes (at least ${minEntry} expected)`;
      return;
    }
    const end = phoff + phentsize * phnum;
    if (end > HEADER_WINDOW) {
      this.headerProblem = 'the program headers lie beyond the first 64 KiB (not read)';
      return;
    }
    if (h.length < end) {
      if (atEnd) this.headerProblem = 'the file ends inside its program headers';
      return;
    }
    const loads: Segment[] = [];
    let dynamic: Segment | undefined;
    for (let i = 0; i < phnum; i++) {
      const p = phoff + i * phentsize;
      const type = rd.u32(p);
      const seg: Segment =
        bits === 64 ? { offset: rd.u64(p + 8), vaddr: rd.u64(p + 16), filesz: rd.u64(p + 32) } : { offset: rd.u32(p + 4), vaddr: rd.u32(p + 8), filesz: rd.u32(p + 16) };
      if (type === PT_LOAD) loads.push(seg);
      else if (type === PT_DYNAMIC && !dynamic) dynamic = seg;
    }
    this.layout = { bits, little, loads, dynamic };
    if (dynamic) {
      if (dynamic.filesz > MAX_DYNAMIC_BYTES) {
        this.headerProblem = `a dynamic segment of ${dynamic.filesz} bytes (more than ${MAX_DYNAMIC_BYTES}: not read)`;
        return;
      }
      this.dynamic = Buffer.alloc(dynamic.filesz);
      // The part already seen sits in the header window.
      this.copyInto(h, 0);
    }
  }

  private captureDynamic(chunk: Buffer, start: number): void {
    if (!this.dynamic || this.dynamicFilled >= this.dynamic.length) return;
    this.copyInto(chunk, start);
  }

  /** Copies the bytes of [start, start + b.length) that fall inside the dynamic segment. */
  private copyInto(b: Buffer, start: number): void {
    const seg = this.layout!.dynamic!;
    const from = Math.max(seg.offset, start);
    const to = Math.min(seg.offset + seg.filesz, start + b.length);
    if (to <= from) return;
    // Overlapping copies (header window, then the same chunk) write the same bytes; count once.
    const before = this.dynamicFilled;
    b.copy(this.dynamic!, from - seg.offset, from - start, to - start);
    this.dynamicFilled = Math.max(before, to - seg.offset);
  }

  private scanStrings(chunk: Buffer, start: number): void {
    let buf = chunk;
    let bufStart = start;
    if (this.pending) {
      buf = Buffer.concat([this.pending.bytes, chunk]);
      bufStart = this.pending.at;
      this.pending = undefined;
    }
    let pos = 0;
    while (pos < buf.length) {
      const nul = buf.indexOf(0, pos);
      if (nul === -1) {
        if (buf.length - pos <= MAX_STRING_BYTES) this.pending = { at: bufStart + pos, bytes: Buffer.from(buf.subarray(pos)) };
        return;
      }
      const len = nul - pos;
      if (len >= 4 && len <= MAX_STRING_BYTES && this.strings.length < MAX_STRINGS) {
        const s = buf.subarray(pos, nul);
        if (s.includes(DOT_SO) && isPrintable(s)) this.strings.push({ at: bufStart + pos, text: s.toString('latin1') });
      }
      pos = nul + 1;
    }
  }

  private dynamicTags(dyn: Buffer, layout: Layout): { strtab?: number; soname?: number } {
    const rd = reader(dyn, layout.little);
    const size = layout.bits === 64 ? 16 : 8;
    const out: { strtab?: number; soname?: number } = {};
    for (let p = 0; p + size <= dyn.length; p += size) {
      const tag = layout.bits === 64 ? rd.u64(p) : rd.u32(p);
      const val = layout.bits === 64 ? rd.u64(p + 8) : rd.u32(p + 4);
      if (tag === DT_NULL) break;
      if (tag === DT_STRTAB) out.strtab = val;
      else if (tag === DT_SONAME) out.soname = val;
    }
    return out;
  }

  /** The file offset of a virtual address, through the PT_LOAD segment that maps it. */
  private fileOffsetOf(vaddr: number): number | undefined {
    for (const s of this.layout!.loads) {
      if (vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz) return vaddr - s.vaddr + s.offset;
    }
    return undefined;
  }

  /** The string starting at `at` (which may lie inside a longer one: linkers share suffixes). */
  private stringAt(at: number): string | undefined {
    let lo = 0;
    let hi = this.strings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.strings[mid];
      if (at < s.at) hi = mid - 1;
      else if (at >= s.at + s.text.length) lo = mid + 1;
      else {
        const text = s.text.slice(at - s.at);
        return text.includes('.so') ? text : undefined;
      }
    }
    return undefined;
  }
}

function isPrintable(b: Buffer): boolean {
  for (const c of b) if (c < 0x21 || c > 0x7e) return false;
  return true;
}

function reader(b: Buffer, little: boolean) {
  return {
    u16: (o: number) => (o + 2 <= b.length ? (little ? b.readUInt16LE(o) : b.readUInt16BE(o)) : 0),
    u32: (o: number) => (o + 4 <= b.length ? (little ? b.readUInt32LE(o) : b.readUInt32BE(o)) : 0),
    /** A 64-bit field; beyond 2^53 it cannot be a real offset or address here, so it maps to a value no segment holds. */
    u64: (o: number) => {
      if (o + 8 > b.length) return 0;
      const v = little ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o);
      return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
    },
  };
}

/** Reads a whole buffer (tests, small files). */
export function readElfSoname(bytes: Buffer): ElfReadResult {
  const r = new ElfSonameReader();
  r.write(bytes);
  return r.finish();
}
