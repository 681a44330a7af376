import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';

/** Entries never sent: version control and editor state. */
const SKIPPED = new Set(['.git', '.hg', '.svn', '.DS_Store']);

/**
 * A function folder as a gzipped tarball (what `PUT /api/functions/NAME` takes with Content-Type
 * application/gzip): its regular files and directories, paths relative to the folder. Symbolic
 * links (node_modules/.bin) are left out: the platform refuses them and bundling does not need them.
 */
export async function packFolder(dir: string): Promise<Buffer> {
  const p = pack();
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
    p.on('error', reject);
  });
  p.pipe(gzip);
  const add = async (rel: string): Promise<void> => {
    for (const name of (await readdir(path.join(dir, rel))).sort()) {
      if (SKIPPED.has(name)) continue;
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(path.join(dir, r));
      if (st.isDirectory()) {
        p.entry({ name: `${r}/`, type: 'directory', mode: 0o755 });
        await add(r);
      } else if (st.isFile()) {
        const body = await readFile(path.join(dir, r));
        await new Promise<void>((resolve, reject) => p.entry({ name: r, type: 'file', mode: 0o644, size: body.length }, body, (err) => (err ? reject(err) : resolve())));
      }
    }
  };
  await add('');
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}
