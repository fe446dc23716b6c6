/** The log format: compact lines for a person in development, pino's JSON elsewhere. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.js';
import { compactLine, prettyLogs } from '../src/server/logging.js';

describe('logging', () => {
  it('is compact in development and JSON in production and tests unless LOG_FORMAT says otherwise', () => {
    expect(prettyLogs(loadConfig({ NODE_ENV: 'development' }))).toBe(true);
    expect(prettyLogs(loadConfig({}))).toBe(true);
    expect(prettyLogs(loadConfig({ NODE_ENV: 'production' }))).toBe(false);
    expect(prettyLogs(loadConfig({ NODE_ENV: 'test' }))).toBe(false);
    expect(prettyLogs(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }))).toBe(false);
    expect(prettyLogs(loadConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }))).toBe(true);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('writes a request as one short line and other entries as time, level, message and fields', () => {
    const time = Date.parse('2026-03-01T09:15:02.000Z');
    const request = JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', reqId: 'r1', method: 'GET', url: '/api/me', status: 200, ms: 3 });
    expect(compactLine(request)).toBe('09:15:02 GET /api/me 200 3 ms');
    const warn = JSON.stringify({ level: 40, time, pid: 1, hostname: 'h', msg: 'an idle connection failed', database: 'postgres' });
    expect(compactLine(warn)).toBe('09:15:02 WARN an idle connection failed database=postgres');
    const error = JSON.stringify({ level: 50, time, msg: 'request failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
    expect(compactLine(error)).toBe('09:15:02 ERROR request failed\nError: boom\n    at x');
    expect(compactLine('not json\n')).toBe('not json');
  });
});
