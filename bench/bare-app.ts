import 'reflect-metadata';
import { createServer } from 'node:http';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { validationPipe } from '../src/app.factory';

/**
 * H of QUALITY §5: the ceiling an endpoint of the real app is compared with. One route,
 * `GET /hello`, no auth, no database; the same global ValidationPipe as the app and log
 * level warn. `--adapter express` (what the app uses), `fastify`, or `node` (plain
 * node:http, no Nest at all) for ADR 0007.
 *
 *   node dist/bench/bare-app.js --adapter express --port 3101
 */

const BODY = { message: 'hello' };

@Controller()
class HelloController {
  @Get('hello')
  hello(): { message: string } {
    return BODY;
  }
}

@Module({ controllers: [HelloController] })
class BareModule {}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const adapter = arg('adapter', 'express');
  const port = Number(arg('port', process.env.PORT ?? '3100'));
  const logger = ['error', 'warn'] as const;

  if (adapter === 'node') {
    const payload = JSON.stringify(BODY);
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/hello') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      } else {
        res.writeHead(404).end();
      }
    });
    server.keepAliveTimeout = 65_000;
    server.listen(port, '127.0.0.1');
    return;
  }

  let app;
  if (adapter === 'fastify') {
    // devDependency, loaded only here so the Express build never needs it
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: [...logger] });
  } else if (adapter === 'express') {
    app = await NestFactory.create(BareModule, new ExpressAdapter(), { logger: [...logger] });
  } else {
    throw new Error(`unknown adapter ${adapter}`);
  }
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
