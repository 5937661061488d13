import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bootApp, TestApp } from '../setup/app';

/**
 * Done-when of issue 10: a client generated from the served document (openapi-typescript
 * types + openapi-fetch) compiles under `strict`, and a small typed script using it logs
 * in, lists students and reads a problem+json error as the `Problem` type, against the
 * booted test app.
 */
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

const SCRIPT = `import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type Problem = components['schemas']['Problem'];
type StudentView = components['schemas']['StudentView'];

const client = createClient<paths>({ baseUrl: process.env.BASE_URL });

async function main(): Promise<void> {
  const login = await client.POST('/api/v1/auth/login', {
    body: { identifier: process.env.LOGIN_ID as string, password: process.env.LOGIN_PASSWORD as string },
  });
  if (!login.data) throw new Error('login failed: ' + login.response.status);
  const token: string = login.data.accessToken;
  const headers = { Authorization: 'Bearer ' + token };

  const list = await client.GET('/api/v1/students', { params: { query: { limit: 5 } }, headers });
  if (!list.data) throw new Error('list failed: ' + list.response.status);
  const students: StudentView[] = list.data.items;
  const next: string | null = list.data.nextCursor;

  const missing = await client.GET('/api/v1/students/{id}', { params: { path: { id: process.env.MISSING_ID as string } }, headers });
  const problem: Problem | undefined = missing.error;
  if (!problem) throw new Error('expected a problem');
  const code: string = problem.code;
  const status: number = problem.status;
  const fields: { field: string; message: string }[] = problem.errors;

  console.log(JSON.stringify({
    students: students.length,
    nextCursor: next,
    status,
    code,
    fields: fields.length,
    contentType: missing.response.headers.get('content-type'),
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe('API contract: a generated typed client (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let dir: string;
  let baseUrl: string;

  beforeAll(async () => {
    t = await bootApp();
    await t.app.listen(0, '127.0.0.1');
    const address = t.app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    f = await IdentityFactory.open();
    dir = join(ROOT, '.data', `client-${randomUUID()}`); // inside the repository: resolves openapi-fetch from node_modules
    mkdirSync(dir, { recursive: true });
  });

  afterAll(async () => {
    await f?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('openapi-typescript types compile with a script that logs in, lists students and reads a Problem, and the script runs', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
    await run(join(ROOT, 'node_modules', '.bin', 'openapi-typescript'), [join(dir, 'openapi.json'), '-o', join(dir, 'schema.d.ts')], { cwd: ROOT });
    writeFileSync(join(dir, 'client.ts'), SCRIPT);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'esnext',
          moduleResolution: 'bundler',
          lib: ['es2022', 'dom'],
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          skipLibCheck: false,
        },
        files: ['client.ts', 'schema.d.ts'],
      }),
    );
    // compiles: the generated types agree with what the script does
    await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: ROOT }).catch((error) => {
      throw new Error(`generated client does not compile:\n${error.stdout}${error.stderr}`);
    });

    const college = await f.tenant({ name: '生成客户端测试学院' });
    const member = await f.member('college-staff', { tenantId: college });
    const { stdout } = await run(process.execPath, ['-r', join(ROOT, 'test', 'setup', 'swc-register.js'), join(dir, 'client.ts')], {
      cwd: ROOT,
      env: { ...process.env, BASE_URL: baseUrl, LOGIN_ID: member.email, LOGIN_PASSWORD: TEST_PASSWORD, MISSING_ID: randomUUID() },
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result).toEqual({
      students: 0,
      nextCursor: null,
      status: 404,
      code: 'STUDENTS.NOT_FOUND',
      fields: 0,
      contentType: expect.stringMatching(/^application\/problem\+json/),
    });
  }, 600_000);
});
