// Files dropped or picked in the page, read in the renderer and sent as base64 to
// src.addFiles (browser mode has no paths; Electron's dialog path uses src.copyIn instead).

export interface PickedFile {
  /** Relative path under the target folder, POSIX separators. */
  path: string;
  file: File;
}

interface FsEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, fail: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: FsEntry[]) => void, fail: (e: unknown) => void): void };
}

/** Must be called synchronously in the drop handler: the DataTransfer empties afterwards. */
export function collectDropped(dataTransfer: DataTransfer): () => Promise<PickedFile[]> {
  const entries: FsEntry[] = [];
  const items = dataTransfer.items ? Array.from(dataTransfer.items) : [];
  for (const item of items) {
    const entry = (item as DataTransferItem & { webkitGetAsEntry?: () => FsEntry | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  const plain = Array.from(dataTransfer.files ?? []);
  return async () => {
    if (entries.length === 0) return plain.map((file) => ({ path: file.name, file }));
    const out: PickedFile[] = [];
    for (const entry of entries) await walk(entry, '', out);
    return out;
  };
}

async function walk(entry: FsEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
    out.push({ path, file });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries answers in batches (100 in Chromium) until it returns an empty one.
    for (;;) {
      const batch = await new Promise<FsEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, path, out);
    }
  }
}

/** From an <input type=file multiple> (or webkitdirectory): keep the folder structure. */
export function fromFileInput(files: FileList | null): PickedFile[] {
  return Array.from(files ?? []).map((file) => ({
    path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
    file,
  }));
}

export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('Cannot read the file'));
    reader.readAsDataURL(file);
  });
}

/** Groups files so that no request grows past `maxBytes` (one big file still goes alone). */
export function batches(files: PickedFile[], maxBytes = 48 * 1024 * 1024): PickedFile[][] {
  const out: PickedFile[][] = [];
  let current: PickedFile[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length && size + f.file.size > maxBytes) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.file.size;
  }
  if (current.length) out.push(current);
  return out;
}
