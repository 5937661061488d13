import { INestApplication } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { AppConfig, loadConfig } from '../../config/app-config';
import { AppModule } from '../../src/app.module';
import { configureApp, httpAdapterFor, initApp } from '../../src/app.factory';
import { installContractValidator } from './contract';

// Every response through this helper (and through any supertest call in e2e) is checked against the document.
installContractValidator();

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/**
 * A compiled module as the application main.ts runs: on the adapter HTTP_ADAPTER names
 * (ADR 0007; Express unless set), configured by configureApp, initialised and ready.
 */
export async function startApp(moduleRef: TestingModule): Promise<INestApplication> {
  const adapter = httpAdapterFor(loadConfig());
  const options = { bodyParser: false, logger: false as const };
  const app = adapter ? moduleRef.createNestApplication(adapter, options) : moduleRef.createNestApplication(options);
  configureApp(app, app.get(AppConfig));
  await initApp(app);
  return app;
}

/** The real application, wired exactly as main.ts wires it, on the run's fresh database. */
export async function bootApp(): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await startApp(moduleRef);
  const server = app.getHttpServer();
  return {
    app,
    http: () => request(server),
    close: () => app.close(),
  };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  membership: { id: string; role: string; tenantId: string | null };
  memberships: { id: string; role: string }[];
}

export async function login(t: TestApp, identifier: string, password: string, membershipId?: string): Promise<Session> {
  const res = await t
    .http()
    .post('/api/v1/auth/login')
    .send({ identifier, password, ...(membershipId ? { membershipId } : {}) });
  if (res.status !== 200) throw new Error(`login ${identifier} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
