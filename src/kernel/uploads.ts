/**
 * File uploads (imports): who may upload how much, and spooling the request's file to a temporary
 * file that is deleted on every way out — success (the caller disposes), a refused or malformed
 * upload, a client that hangs up halfway.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from './actor.ts';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './config.ts';
import { AppError, badRequest, forbidden } from './errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    uploadLimits: UploadLimits;
  }
}

/** Temporary directories of uploads start with this (tests count them). */
export const UPLOAD_TMP_PREFIX = 'accord-upload-';

export function registerUploadLimits(app: FastifyInstance, limits: UploadLimits | undefined) {
  app.decorate('uploadLimits', limits ?? DEFAULT_UPLOAD_LIMITS);
}

/** The largest upload any role may send (for the multipart parser's own limit). */
export const largestUpload = (limits: UploadLimits) => Math.max(...Object.values(limits));

const limitFor = (req: FastifyRequest) => req.server.uploadLimits[(req.actor?.role ?? 'viewer') as Role] ?? 0;

/**
 * Route-level onRequest hook for upload routes: runs after authentication and before a byte of the
 * body is read. A role without an upload allowance is refused (403); a declared length over the
 * role's limit is refused at once (413). Chunked bodies are counted while spooling.
 */
export async function uploadGuard(req: FastifyRequest) {
  const limit = limitFor(req);
  if (limit <= 0) throw forbidden('Your role cannot upload files');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit + 64 * 1024) throw tooLarge(limit);
}

const tooLarge = (limit: number) => new AppError(413, 'too_large', `The file is too large: at most ${Math.floor(limit / (1024 * 1024))} MB for your role`);

export interface Upload {
  path: string;
  filename: string | null;
  fields: Record<string, string>;
  /** Deletes the temporary file; safe to call more than once. */
  dispose(): Promise<void>;
}

/** Busboy's and @fastify/multipart's complaints about a broken form, as one 400. */
function asClientError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const status = (e as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) {
    if (status === 413) return new AppError(413, 'too_large', (e as Error).message || 'The file is too large');
    return badRequest(`The upload is not a well-formed multipart form: ${(e as Error).message}`, [{ path: 'file', message: 'Malformed multipart body', code: 'invalid' }]);
  }
  // Unexpected end of form, bad boundary, a client that hung up: the body is broken, not the server.
  return badRequest('The upload is not a well-formed multipart form or ended early', [{ path: 'file', message: 'Malformed multipart body', code: 'invalid' }]);
}

/**
 * Streams the request's file (raw body or the multipart field "file") to a temporary file; multipart
 * form fields are returned beside it. `rawTypes` names the raw content types the route accepts.
 */
export async function spoolUpload(req: FastifyRequest, rawTypes: string[]): Promise<Upload> {
  const dir = await mkdtemp(join(tmpdir(), UPLOAD_TMP_PREFIX));
  const path = join(dir, 'upload');
  const dispose = () => rm(dir, { recursive: true, force: true });
  const limit = limitFor(req);
  let size = 0;
  const counter = () =>
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > limit) cb(tooLarge(limit));
        else cb(null, chunk);
      },
    });
  // A client that hangs up mid-upload: the streams error out below and the file goes.
  const onAbort = () => void dispose();
  req.raw.once('aborted', onAbort);
  try {
    if (req.isMultipart()) {
      const fields: Record<string, string> = {};
      let filename: string | null = null;
      let gotFile = false;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (gotFile) {
              part.file.resume();
              continue;
            }
            gotFile = true;
            filename = part.filename || null;
            await pipeline(part.file, counter(), createWriteStream(path));
            if (part.file.truncated) throw tooLarge(limit);
          } else {
            fields[part.fieldname] = String(part.value);
          }
        }
      } catch (e) {
        throw asClientError(e);
      }
      if (!gotFile) throw badRequest('Attach the file (multipart field "file")', [{ path: 'file', message: 'Required', code: 'required' }]);
      return { path, filename, fields, dispose };
    }
    // Only the raw content-type parser hands over a stream; a JSON body or none is not a file.
    if (!(req.body instanceof Readable)) {
      throw new AppError(415, 'unsupported_media_type', `Send the file as ${rawTypes.slice(0, 3).join(', ')} or multipart/form-data (field "file")`);
    }
    try {
      await pipeline(req.body, counter(), createWriteStream(path));
    } catch (e) {
      throw e instanceof AppError ? e : badRequest('The upload ended early', [{ path: 'file', message: 'Incomplete upload', code: 'invalid' }]);
    }
    const header = req.headers['x-filename'];
    let name: string | null = null;
    if (typeof header === 'string') {
      try {
        name = decodeURIComponent(header);
      } catch {
        name = header;
      }
    }
    return { path, filename: name, fields: {}, dispose };
  } catch (e) {
    await dispose();
    throw e;
  } finally {
    req.raw.off('aborted', onAbort);
  }
}
