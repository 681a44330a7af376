import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';

/** A gzipped tarball of the given entries, hostile ones included (any header tar-stream writes). */
export async function tarball(entries: Array<Partial<Header> & { name: string; body?: string }>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const end = new Promise<void>((r) => p.on('end', () => r()));
  for (const { body, ...h } of entries) p.entry(h, body ?? '');
  p.finalize();
  await end;
  return gzipSync(Buffer.concat(chunks));
}
