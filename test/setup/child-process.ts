import { ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Real processes for reliability tests (QUALITY §3): TypeScript entries run from sources
 * through test/setup/swc-register.js, and a private redis-server a test may stop and start
 * without touching the shared Redis other suites use. Every wait is bounded; nothing here
 * sleeps a fixed time to "let things settle".
 */

const ROOT = join(__dirname, '..', '..');
const SWC_REGISTER = join(__dirname, 'swc-register.js');
/** What a child printed last, in failure messages. */
const TAIL_CHARS = 4_000;

/** Polls until `ok` holds; fails with the last value after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`${what} not met in ${timeoutMs} ms; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  return last;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process this test started, with its output kept for assertions and failure messages. */
export class TestChild {
  readonly exited: Promise<ExitStatus>;
  private out = '';
  private status?: ExitStatus;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.out += chunk.toString('utf8');
      if (this.out.length > 200_000) this.out = this.out.slice(-100_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.status = { code, signal };
        resolve(this.status);
      });
    });
    // Waiting on `exited` must not be the only thing that observes a spawn error.
    proc.once('error', (error) => {
      this.out += `\n[spawn error] ${error.message}\n`;
    });
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error(`${this.name} has no pid (did it spawn?)\n${this.tail()}`);
    return this.proc.pid;
  }

  get running(): boolean {
    return this.status === undefined;
  }

  output(): string {
    return this.out;
  }

  tail(): string {
    return `--- ${this.name} (last output) ---\n${this.out.slice(-TAIL_CHARS)}`;
  }

  /** Resolves when the output matches; fails early if the process exits first. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pattern.test(this.out)) {
      if (!this.running) throw new Error(`${this.name} exited (${JSON.stringify(this.status)}) before printing ${pattern}\n${this.tail()}`);
      if (Date.now() > until) throw new Error(`${this.name} did not print ${pattern} in ${timeoutMs} ms\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The exit status, or a failure naming the process if it is still running after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} still running after ${timeoutMs} ms\n${this.tail()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) process.kill(this.pid, signal);
  }

  /** SIGKILL if still running, and wait for the exit; for afterAll. */
  async kill(): Promise<void> {
    if (!this.running || this.proc.pid === undefined) return;
    this.signal('SIGKILL');
    await this.waitForExit(10_000);
  }
}

/** Every child started through this module, so a suite can reap them whatever happened. */
const started = new Set<TestChild>();

export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): TestChild {
  // stdin stays an open pipe: a TypeScript child started by spawnTs exits when it closes,
  // so a child never outlives a test process that died without its afterAll.
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const child = new TestChild(name, proc);
  started.add(child);
  void child.exited.then(() => started.delete(child));
  return child;
}

/** Runs a TypeScript entry from sources (`node -r test/setup/swc-register.js <entry>`). */
export function spawnTs(name: string, entry: string, env: NodeJS.ProcessEnv): TestChild {
  return spawnChild(name, process.execPath, ['-r', SWC_REGISTER, join(ROOT, entry)], env);
}

/** Kills (SIGKILL) every child still running that this module started. */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...started].map((child) => child.kill().catch(() => undefined)));
}

/** A TCP port nobody listens on right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One raw PING; true on +PONG within 500 ms. No client library, so no reconnect loop to clean up. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/**
 * A private redis-server on its own port, without persistence (a restart starts empty),
 * for tests that take Redis away. Never the shared one on 6379.
 */
export class PrivateRedis {
  private child?: TestChild;
  private starts = 0;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server on this port and waits until it answers PING. */
  async up(timeoutMs = 10_000): Promise<void> {
    if (this.child?.running) throw new Error(`redis on ${this.port} is already up`);
    this.starts += 1;
    const child = spawnChild(`redis-server:${this.port}#${this.starts}`, 'redis-server', [
      '--port', String(this.port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
      '--maxmemory-policy', 'noeviction',
    ]);
    this.child = child;
    await waitFor(
      async () => (child.running ? redisAnswers(this.port) : Promise.reject(new Error(`redis-server exited\n${child.tail()}`))),
      Boolean,
      timeoutMs,
      `redis-server on ${this.port} answering`,
    );
  }

  /** Stops it (SIGTERM; without persistence it exits at once) and waits until the port refuses. */
  async down(timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child?.running) return;
    child.signal('SIGTERM');
    await child.waitForExit(timeoutMs);
    await waitFor(() => redisAnswers(this.port), (ok) => !ok, timeoutMs, `redis on ${this.port} refusing`);
  }

  async stop(): Promise<void> {
    await this.child?.kill();
  }
}
