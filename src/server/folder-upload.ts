import type { IncomingMessage } from 'node:http';
import { rm } from 'node:fs/promises';
import { BundleError, SourceUnavailableError, TarballError, bundleFolder, extractTarball } from '../platform/index.ts';
import { HttpError } from './http-util.ts';

const FOLDER_TYPES = new Set(['application/gzip', 'application/x-gzip', 'application/x-tar+gzip']);
/** A folder's config travels in this header, as JSON (the body is the tarball). */
export const CONFIG_HEADER = 'x-containerless-config';

/** A `PUT /api/functions/NAME` whose body is a gzipped tarball of a function folder. */
export function isFolderUpload(req: IncomingMessage): boolean {
  return FOLDER_TYPES.has((req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase());
}

/**
 * Reads the tarball (at most `limit` bytes compressed), extracts it into a private temporary
 * directory and bundles it (platform/source-bundle.ts): the bundle is the function's source.
 */
export async function folderSource(req: IncomingMessage, limit: number): Promise<{ source: string; config: unknown }> {
  let config: unknown;
  const header = req.headers[CONFIG_HEADER];
  if (typeof header === 'string') {
    try {
      config = JSON.parse(header);
    } catch (err) {
      throw new HttpError(400, `${CONFIG_HEADER} is not valid JSON (${(err as Error).message})`);
    }
  }
  const gz = await readBytes(req, limit);
  let dir: string | undefined;
  try {
    dir = await extractTarball(gz);
    return { source: await bundleFolder(dir), config };
  } catch (err) {
    if (err instanceof TarballError) throw new HttpError(err.status, err.message);
    if (err instanceof BundleError) throw new HttpError(400, err.message, { file: err.file, line: err.line, column: err.column });
    if (err instanceof SourceUnavailableError) throw new HttpError(503, err.message);
    throw err;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new HttpError(413, `body too large: over ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (f: () => void) => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    req.on('data', (c: Buffer) => {
      if (settled) return;
      size += c.length;
      if (size > limit) {
        req.pause();
        settle(() => reject(new HttpError(413, `body too large: over ${limit} bytes`)));
      } else chunks.push(c);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks))));
    req.on('error', (err: Error) => settle(() => reject(new HttpError(400, `request body not received: ${err.message}`))));
    req.on('close', () => settle(() => reject(new HttpError(400, 'request aborted before its body ended'))));
  });
}
