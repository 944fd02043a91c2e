/**
 * Bounds on the shape of every JSON body, checked on the raw text before it is parsed, so no
 * request can make a handler (or the database's JSONB code) walk a structure nested thousands of
 * levels deep or holding hundreds of thousands of keys. The byte size is bounded by Fastify's
 * bodyLimit (413); depth and key count here (400).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';

export interface JsonShapeLimits {
  /** Nesting of objects and arrays; the body itself is level 1. */
  maxDepth: number;
  /** Object keys in the whole document. */
  maxKeys: number;
}

/** Far above what any screen or integration sends (a saved view's config is under 10 levels). */
export const BODY_LIMITS: JsonShapeLimits = { maxDepth: 32, maxKeys: 20_000 };

export interface JsonShape {
  depth: number;
  keys: number;
}

/**
 * Depth and key count of JSON text in one pass, without building anything. Strings are skipped
 * (brackets and colons inside them do not count); a key is a colon outside a string. Stops as soon
 * as a limit is passed. Malformed text is left to the parser to report.
 */
export function measureJson(text: string, limits: JsonShapeLimits = BODY_LIMITS): JsonShape {
  let depth = 0;
  let max = 0;
  let keys = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) max = depth;
      if (max > limits.maxDepth) break;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
    else if (c === 0x3a /* : */ && ++keys > limits.maxKeys) break;
  }
  return { depth: max, keys };
}

/** The AppError for a document past the limits, or undefined. */
export function shapeError(shape: JsonShape, limits: JsonShapeLimits, where = 'body'): AppError | undefined {
  if (shape.depth > limits.maxDepth) {
    return new AppError(400, 'too_deep', `The JSON ${where} is nested too deeply (at most ${limits.maxDepth} levels)`, [{ path: where, message: `Nested more than ${limits.maxDepth} levels`, code: 'too_deep', params: { maximum: limits.maxDepth } }]);
  }
  if (shape.keys > limits.maxKeys) {
    return new AppError(400, 'too_many_keys', `The JSON ${where} has too many keys (at most ${limits.maxKeys})`, [{ path: where, message: `More than ${limits.maxKeys} keys`, code: 'too_many_keys', params: { maximum: limits.maxKeys } }]);
  }
  return undefined;
}

/**
 * Replaces the JSON body parser with one that measures first, then parses with Fastify's own
 * parser (which keeps refusing __proto__ and constructor.prototype keys).
 */
export function registerJsonLimits(app: FastifyInstance, limits: JsonShapeLimits = BODY_LIMITS) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    const err = shapeError(measureJson(text, limits), limits);
    if (err) return done(err, undefined);
    return parse(req, text, done);
  });
}
