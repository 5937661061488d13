import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { seedDemo } from '../../src/database/seed/index';
import { bootApp, TestApp } from '../setup/app';

/**
 * Issue 8 item 21: the README's examples stay true. Every ```bash block from "## Using the API"
 * on runs with bash against the real app (listening on an ephemeral port, demo seed loaded into
 * this run's database): the block must exit 0 and no request may answer 5xx, nor 4xx unless
 * the block is marked `<!-- readme-example: expect-4xx -->`. `<!-- readme-example: skip (why) -->`
 * keeps a block out (placeholders, uploads, Docker); an unmarked block with a `<placeholder>` fails.
 */
interface Example {
  heading: string;
  line: number;
  code: string;
  marker: 'run' | 'expect-4xx' | 'skip';
}

function readmeExamples(): Example[] {
  const lines = readFileSync(join(__dirname, '../../README.md'), 'utf8').split('\n');
  const from = lines.findIndex((l) => /^## Using the API/.test(l));
  const out: Example[] = [];
  let heading = '';
  for (let i = Math.max(from, 0); i < lines.length; i++) {
    const h = /^#{2,4} (.+)/.exec(lines[i]);
    if (h) heading = h[1];
    if (lines[i].trim() !== '```bash') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    if (end < 0) throw new Error(`README.md line ${i + 1}: a \`\`\`bash block is never closed`);
    const before = lines.slice(Math.max(0, i - 2), i).join('\n');
    const m = /<!--\s*readme-example:\s*(skip|expect-4xx)\b/.exec(before);
    out.push({ heading, line: i + 1, code: lines.slice(i + 1, end).join('\n'), marker: (m?.[1] as Example['marker']) ?? 'run' });
    i = end;
  }
  return out;
}

const examples = readmeExamples();
const runnable = examples.filter((e) => e.marker !== 'skip');

describe('README examples run against a booted, seeded app (issue 8 item 21)', () => {
  let t: TestApp;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    await seedDemo(process.env.DATABASE_MIGRATION_URL!);
    t = await bootApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'readme-examples-'));
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the README has runnable examples and every skipped one says why', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    const text = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    for (const m of text.matchAll(/<!--\s*readme-example:\s*skip\b(.*?)-->/g)) expect(m[1].trim()).toMatch(/^\(.+\)$/);
  });

  it.each(runnable.map((e) => [`"${e.heading}" (README.md line ${e.line})`, e] as const))('README example %s runs: exit 0, no 5xx, no unexpected 4xx', async (_name, example) => {
    const where = `README example "${example.heading}" (README.md line ${example.line})`;
    const placeholder = /<[a-z][^<>\n]*>/i.exec(example.code);
    if (placeholder) throw new Error(`${where} contains the placeholder ${placeholder[0]}: make it runnable or mark it <!-- readme-example: skip (why) -->`);
    const log = join(dir, `status-${example.line}.log`);
    writeFileSync(log, '');
    // curl reports each response's status on stderr (into the log); stdout stays the example's own
    const prelude = [
      'set -eo pipefail',
      `cd ${JSON.stringify(dir)}`,
      `curl() { command curl -w '%{stderr}HTTP %{http_code} %{method} %{url_effective}\\n' "$@" 2>>${JSON.stringify(log)}; }`,
    ].join('\n');
    const script = `${prelude}\n${example.code.replaceAll('http://localhost:3000', base)}\n`;
    // async: the app answers in this very process, so its event loop must keep running
    const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stderr });
      });
    });
    const statuses = readFileSync(log, 'utf8')
      .split('\n')
      .map((l) => /^HTTP (\d{3}) (\S+) (\S+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ code: Number(m[1]), request: `${m[2]} ${decodeURI(m[3].replace(base, ''))}` }));
    const bad = statuses.filter((s) => s.code >= 500 || s.code === 0 || (s.code >= 400 && example.marker !== 'expect-4xx'));
    const report = `${where}\n  exit ${run.status}\n  requests:\n${statuses.map((s) => `    ${s.code} ${s.request}`).join('\n')}\n  stderr: ${(run.stderr ?? '').slice(-800)}`;
    expect({ exit: run.status, bad, report: bad.length || run.status !== 0 ? report : 'ok' }).toEqual({ exit: 0, bad: [], report: 'ok' });
    expect(statuses.length).toBeGreaterThan(0);
  }, 150_000);
});
