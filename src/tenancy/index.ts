export * from './request-context';
export * from './tenant-context';
export * from './tenant-pinning.adapter';
export * from './tenancy.errors';
