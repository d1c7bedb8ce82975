// "A test must be able to fail", share 2 of 2 of the families in the registry (see test/support/prove-checks.ts): each
// check proven to pass on the faithful mock and fail against every gateway or client its declaration says breaks it.
import { proofShare, proveChecksCanFail } from './support/prove-checks.ts';

proveChecksCanFail(proofShare(2, 2), [
  'retry.429.backoff',
  'retry.500.no_duplicate',
  'retry.500.limit',
  'lifecycle.link_expiry',
  'availability.placeholder',
]);
