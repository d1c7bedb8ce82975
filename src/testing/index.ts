/** kling-conformance/vitest: what your own tests need — matchers judged by the providers' documents, typed request
 * builders. */
export { klingMatchers, type ResponseKind } from './matchers.ts';
export { buildRequest, requestFor } from './request-builder.ts';
export type { ProviderId, ProviderRequests } from '../generated/index.ts';
