/**
 * JSON bodies: how deep they may nest, and the NUL check, both without recursion.
 *
 * A body of 5,000 `[` is 10 KB, well under the body limit, and parses fine, but any recursive walk
 * over it (ours, a validator's, a serializer's) overflows the stack. So the nesting depth is checked
 * on the raw text, in one loop, before the body is parsed at all; every later walk is then bounded.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** Deepest nesting of arrays and objects a request body may have. Our contracts need under 10. */
export const MAX_JSON_DEPTH = 32;

/** The deepest `[`/`{` nesting in JSON text, stopping as soon as it passes `limit`. */
function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** Replace Fastify's JSON parser with the same parser (prototype poisoning refused) behind the depth check. */
export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, raw, done) => {
    const body = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
      done(new AppError('JsonTooDeep', `The request body nests arrays or objects more than ${MAX_JSON_DEPTH} deep.`, { maxDepth: MAX_JSON_DEPTH }), undefined);
      return;
    }
    parse(req, body, done);
  });
}

/**
 * PostgreSQL text cannot hold U+0000 (it fails the query), SQLite would store it: refuse it in any
 * input string on every dialect, so no route can turn it into a 500.
 */
export function refuseNulCharacters(req: FastifyRequest): void {
  const parts = [
    ['body', req.body],
    ['querystring', req.query],
    ['params', req.params],
  ] as const;
  for (const [where, value] of parts) {
    const path = nulPath(value);
    if (path) {
      throw new AppError('ValidationFailed', 'Some fields are not valid.', {
        issues: [{ in: where, path: path.join('.'), message: 'Remove the NUL character (U+0000).' }],
      });
    }
  }
}

interface Step {
  value: unknown;
  key: string | undefined;
  parent: Step | undefined;
}

/** The path to the first key or string holding U+0000, in document order, walked with an explicit stack. */
export function nulPath(root: unknown): string[] | undefined {
  const stack: Step[] = [{ value: root, key: undefined, parent: undefined }];
  for (let step = stack.pop(); step; step = stack.pop()) {
    const { value, key } = step;
    if (key?.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) return pathOf(step);
    if (value === null || typeof value !== 'object') continue;
    // Children go on in reverse, so they come off in document order.
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [childKey, child] = entries[i] as [string, unknown];
      stack.push({ value: child, key: childKey, parent: step });
    }
  }
  return undefined;
}

function pathOf(step: Step): string[] {
  const path: string[] = [];
  for (let s: Step | undefined = step; s?.key !== undefined; s = s.parent) path.push(s.key);
  return path.reverse();
}
