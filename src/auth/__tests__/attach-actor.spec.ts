import { attachActor } from '../access.guard';

describe('attachActor', () => {
  const actor = { userId: 'u1', tenantId: 't1', role: 'college-staff' };

  it('on Express (the request is Node’s own) sets req.user', () => {
    const req: { user?: unknown } = {};
    attachActor(req, actor);
    expect(req.user).toBe(actor);
  });

  it('on Fastify also sets it on Node’s request (req.raw), which the access log reads', () => {
    const raw: { user?: unknown } = {};
    const req: { user?: unknown; raw: { user?: unknown } } = { raw };
    attachActor(req, actor);
    expect(req.user).toBe(actor);
    expect(raw.user).toBe(actor);
  });
});
