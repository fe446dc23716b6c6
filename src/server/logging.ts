/**
 * The logger. JSON lines (pino's own) for machines; in development, by default, one short line per
 * event for a person at a terminal ("12:03:04 GET /api/me 200 3 ms"), so the start banner is not
 * buried under request objects. LOG_FORMAT chooses: `auto` (pretty in development, else JSON).
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export function prettyLogs(config: Config): boolean {
  return config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && config.NODE_ENV === 'development');
}

export function createLogger(config: Config): Logger {
  if (!prettyLogs(config)) return pino({ level: config.LOG_LEVEL });
  return pino({ level: config.LOG_LEVEL }, { write: (line: string) => void process.stdout.write(`${compactLine(line)}\n`) });
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: '', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'method', 'url', 'status', 'ms', 'err']);

/** One pino JSON line as `time [level] message key=value…`; a request as `time METHOD url status N ms`. */
export function compactLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const level = LEVELS[typeof entry.level === 'number' ? entry.level : 30] ?? '';
  const parts = [time, level];
  if (typeof entry.method === 'string' && typeof entry.url === 'string') parts.push(entry.method, entry.url, String(entry.status), `${String(entry.ms)} ms`);
  else parts.push(String(entry.msg ?? ''));
  for (const [key, value] of Object.entries(entry)) {
    if (!OMIT.has(key)) parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const err = entry.err as { stack?: unknown } | undefined;
  const line = parts.filter((p) => p !== '').join(' ');
  return typeof err?.stack === 'string' ? `${line}\n${err.stack}` : line;
}

/** Fastify's request lines for pretty logs: nothing on arrival, one line when done. */
export class CompactRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error });
    else reply.log.info(line);
  }
}
