// Link expiry on a live target: the result link is fetched again late in the run (--link-recheck seconds after its
// first download, waited for on the run's clock) and judged by its documented lifetime. A link that dies early fails
// with the documented lifetime as the source; a run too short to wait is a skip with the reason, never a pass.
import { describe, expect, it } from 'vitest';
import type { Deviation } from './support/deviating-mock.ts';
import { liveContext, runOneCheck, startLiveGateway, type LiveGateway } from './support/live-gateway.ts';

/** A gateway whose result links die `seconds` after they were first served (EvoLink documents 24 hours). */
function linksDieAfter(seconds: number, gateway: () => LiveGateway): Deviation {
  let first: number | undefined;
  return {
    request: (req, x) => {
      if (x.operation !== 'video') return req;
      first ??= gateway().clock.now();
      return gateway().clock.now() - first > seconds * 1000
        ? new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 })
        : req;
    },
  };
}

describe('lifecycle.link_refetch on a live target', () => {
  it('passes when the link still answers --link-recheck seconds later', async () => {
    const gateway = await startLiveGateway('sk-link-key');
    const r = await runOneCheck(liveContext(gateway, { linkRecheckSeconds: 600 }), 'lifecycle.link_refetch');
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toContain('still answers 600 s after its first download (documented to live 86400 s)');
  }, 60_000);

  it('fails a link that expires earlier than documented, citing the documented lifetime', async () => {
    let gateway: LiveGateway | undefined;
    gateway = await startLiveGateway(
      'sk-link-key',
      linksDieAfter(300, () => gateway!),
    );
    const r = await runOneCheck(liveContext(gateway, { linkRecheckSeconds: 600 }), 'lifecycle.link_refetch');
    expect(r.status, r.message).toBe('fail');
    expect(r.message).toBe('the link answered 403 600 s after its first download: documented to live 86400 s');
    expect(r.source).toContain('Generated video links are valid for 24 hours');
  }, 60_000);

  it('says the run was too short to judge when the deadline leaves no room to wait (a skip, not a pass)', async () => {
    const gateway = await startLiveGateway('sk-link-key');
    const ctx = liveContext(gateway, { linkRecheckSeconds: 600, deadlineAt: Date.now() + 120_000 });
    const r = await runOneCheck(ctx, 'lifecycle.link_refetch');
    expect(r.status, r.message).toBe('skip');
    expect(r.message).toMatch(/^too short to judge: .*the run's deadline left no room to wait 600 s/);
  }, 60_000);
});
