export * from './app.exception';
export * from './common.errors';
export * from './error-catalog';
export * from './problem.filter';
export * from './validation.factory';
