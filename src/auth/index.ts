export * from './access-token';
export * from './auth-state.port';
export * from './auth-state.cache';
export * from './auth.errors';
export * from './decorators';
export * from './permissions';
export * from './roles';
