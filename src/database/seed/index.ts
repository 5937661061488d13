export { DEMO_SEED_STEPS, seedDemo } from './demo-seed';
export type { SeedReport } from './demo-seed';
export { DEMO_COLLEGES, DEMO_ENTERPRISES, DEMO_PASSWORD, DEMO_PROVINCE_USERS, demoLogins, loginOf } from './demo-data';
export type { DemoLogin } from './demo-data';
export type { SeedContext, SeedStep, TenantPin } from './seed-context';
export { buildUscc, isValidUscc, usccCheckChar } from './uscc';
