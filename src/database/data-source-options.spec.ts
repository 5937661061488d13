import { dataSourceOptions } from './data-source-options';

describe('dataSourceOptions', () => {
  it('without replicas: one pool on the URL, named jishi', () => {
    const o = dataSourceOptions({ url: 'postgres://app@p/jishi', poolSize: 7 }) as Record<string, any>;
    expect(o.url).toBe('postgres://app@p/jishi');
    expect(o.replication).toBeUndefined();
    expect(o.extra).toMatchObject({ max: 7, application_name: 'jishi' });
  });

  it('with replicas: TypeORM replication whose default stays the primary, replica pools named apart', () => {
    const o = dataSourceOptions({ url: 'postgres://app@p/jishi', poolSize: 7, replicaUrls: ['postgres://app@r1/jishi', 'postgres://app@r2/jishi'] }) as Record<string, any>;
    expect(o.url).toBeUndefined();
    expect(o.replication).toEqual({
      master: { url: 'postgres://app@p/jishi', applicationName: 'jishi' },
      slaves: [
        { url: 'postgres://app@r1/jishi', applicationName: 'jishi-replica' },
        { url: 'postgres://app@r2/jishi', applicationName: 'jishi-replica' },
      ],
      defaultMode: 'master',
    });
    // a pool-wide application_name in `extra` would override both pools' names
    expect(o.extra).toEqual({ max: 7, idleTimeoutMillis: 30_000 });
  });
});
