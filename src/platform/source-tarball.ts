import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';

/** A tarball refused: `status` 400 (malformed, unsafe) or 413 (over a bound). */
export class TarballError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

export interface TarballLimits {
  /** Bytes of all files once uncompressed. */
  maxBytes: number;
  /** Entries (files and directories). */
  maxEntries: number;
}

export const TARBALL_LIMITS: TarballLimits = { maxBytes: 64 * 1024 * 1024, maxEntries: 20_000 };

/**
 * Extracts a gzipped tarball into a new private temporary directory and returns its path (the caller
 * removes it). Safe by construction: only regular files and directories are written, at relative
 * paths with no `..` (symbolic and hard links, devices and absolute paths are refused), and the
 * uncompressed size and entry count are counted as the stream is read, so a bomb stops at the bound.
 * Streams through zlib and writes asynchronously: the event loop is never held for long.
 */
export async function extractTarball(gz: Buffer, limits: TarballLimits = TARBALL_LIMITS): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cl-folder-'));
  try {
    await extractInto(gz, dir, limits);
    return dir;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function extractInto(gz: Buffer, dir: string, limits: TarballLimits): Promise<void> {
  const ex = extract();
  const gunzip = createGunzip();
  let bytes = 0;
  let entries = 0;
  const fail = (err: Error) => {
    gunzip.destroy();
    ex.destroy(err);
  };
  gunzip.on('error', (err) => ex.destroy(new TarballError(400, `not a gzipped tarball: ${err.message}`)));
  // Counted on the uncompressed stream: a bomb is stopped however its entries claim their sizes.
  gunzip.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limits.maxBytes + 1024 * 1024) fail(new TarballError(413, `the folder is too large: over ${limits.maxBytes} bytes uncompressed`));
  });
  Readable.from([gz]).pipe(gunzip).pipe(ex);
  try {
    await readEntries(ex, dir, limits, () => ++entries);
  } finally {
    // Whatever follows the archive's end (or an error) is not decompressed.
    gunzip.destroy();
  }
}

async function readEntries(ex: ReturnType<typeof extract>, dir: string, limits: TarballLimits, count: () => number): Promise<void> {
  let files = 0;
  let fileBytes = 0;
  for await (const entry of ex) {
    const h = entry.header;
    if (count() > limits.maxEntries) throw new TarballError(413, `the folder has too many files: over ${limits.maxEntries}`);
    const rel = safePath(h.name);
    if (h.type === 'directory') {
      if (rel) await mkdir(path.join(dir, rel), { recursive: true, mode: 0o755 });
      entry.resume();
      continue;
    }
    if (h.type !== 'file' && h.type !== 'contiguous-file') {
      throw new TarballError(400, `the folder has ${h.type === 'symlink' || h.type === 'link' ? 'a link' : `a ${h.type}`} at ${JSON.stringify(h.name)}: only regular files and directories are accepted`);
    }
    if (!rel) throw new TarballError(400, `bad path in the tarball: ${JSON.stringify(h.name)}`);
    const chunks: Buffer[] = [];
    for await (const c of entry as AsyncIterable<Buffer>) {
      fileBytes += c.length;
      if (fileBytes > limits.maxBytes) throw new TarballError(413, `the folder is too large: over ${limits.maxBytes} bytes uncompressed`);
      chunks.push(c);
    }
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    // flag 'wx': never through something already there (a file of the same name twice is refused).
    await writeFile(file, Buffer.concat(chunks), { flag: 'wx', mode: 0o644 }).catch((err: NodeJS.ErrnoException) => {
      throw new TarballError(400, `the tarball has ${JSON.stringify(h.name)} twice or under a file (${err.code})`);
    });
    files++;
  }
  if (files === 0) throw new TarballError(400, 'the tarball has no files');
}

/** The entry's path inside the folder, or '' for the folder itself; refuses absolute paths and `..`. */
function safePath(name: string): string {
  if (name.includes('\0') || name.includes('\\')) throw new TarballError(400, `bad path in the tarball: ${JSON.stringify(name)}`);
  if (name.startsWith('/')) throw new TarballError(400, `absolute path in the tarball: ${JSON.stringify(name)}`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new TarballError(400, `path leaving the folder in the tarball: ${JSON.stringify(name)}`);
  return parts.join('/');
}
