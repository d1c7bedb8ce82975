import { unconfiguredWebhook } from '../validate/callback-url.ts';
import { testEvent } from './callback-delivery.ts';
import { answerJson, type MockResponse } from './mock-route.ts';
import type { MockState } from './mock-state.ts';

/**
 * POST /__mock/callbacks/test: what a console's "send test event" does where documented
 * (`callbacks.payload.events.test`, ToAPIs' `endpoint.test`): the test event, signed as every delivery, POSTed once
 * to the account's default callback URL; the answer is that attempt's record. A provider that documents no test
 * event: 404; an account without webhook settings (no --callback-default, or not the settings the provider needs):
 * 409, saying which flags give them.
 */
export async function sendTestEvent(state: MockState): Promise<MockResponse> {
  const event = testEvent(state);
  if (!event)
    return answerJson(
      { error: `${state.spec.id} documents no test event (callbacks.payload.events.test in its spec)` },
      { status: 404 },
    );
  const url = state.options.callbackDefault;
  const unconfigured = unconfiguredWebhook(state.spec, state.options);
  if (!url || unconfigured)
    return answerJson(
      {
        error:
          "the account has no webhook settings to test: start the mock with --callback-default URL (the test event's " +
          `target)${unconfigured?.missing.includes('secret') ? ' and --callback-secret S' : ''}`,
      },
      { status: 409 },
    );
  return answerJson(await state.outbox.send(url, event, false));
}
