/** kling-conformance: the library behind the CLI. */
export { loadSpec, loadSpecById, loadAllSpecs, listSpecIds, defaultSpecsDir } from './spec/load-spec.ts';
export { withClaims } from './spec/build-model.ts';
export type { ProviderSpec, Conformance, Claim, Source } from './spec/model.ts';
export { resolveSettings } from './spec/resolve-settings.ts';
export { estimatePrice } from './spec/price.ts';
export { compileValidators } from './validate/compile-validators.ts';
export { GatewayClient, type GatewayClientOptions, type Exchange } from './client/gateway-client.ts';
export { referenceAdapter, type ClientAdapter } from './client/client-adapter.ts';
export { authHeader, type AuthVariant, type Credential } from './client/auth-header.ts';
export { decideRetry } from './client/retry-policy.ts';
export { probeMp4 } from './client/probe-video.ts';
export { checksFor, checkCatalogue } from './checks/registry.ts';
export { runCheck } from './checks/engine.ts';
export type { CheckResult, CheckDefinition, Verdict } from './checks/types.ts';
export { runConformance } from './run/run-conformance.ts';
export { VirtualClock, systemClock, type Clock } from './core/clock.ts';
export { HarnessError } from './core/errors.ts';
