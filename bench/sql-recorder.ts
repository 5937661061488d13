/**
 * Preloaded (`node -r dist/bench/sql-recorder.js`) into a *capture* instance of the API only,
 * never into the instance a bench measures: appends every statement a `pg.Client` sends
 * (text + parameters, one JSON line each) to BENCH_SQL_RECORD. main-paths.ts issues one
 * request at a time to that instance and reads the lines the request added: the exact SQL
 * the route runs, which the raw-`pg` baseline then replays.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_SQL_RECORD;
if (file) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg');
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function recordingQuery(this: unknown, config: unknown, values?: unknown, ...rest: unknown[]) {
    try {
      const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
      const params = Array.isArray(values) ? values : ((config as { values?: unknown[] })?.values ?? []);
      if (text) appendFileSync(file, JSON.stringify({ sql: text, params }) + '\n');
    } catch {
      // recording is best effort; the query itself must go through
    }
    return original.call(this, config, values, ...rest);
  };
}
