// "A test must be able to fail", part 2 of 2 (see test/support/prove-checks.ts): lifecycle, retry, availability and
// boundary checks, each proven to pass on the faithful mock and fail against a gateway or client that breaks it.
import { proveChecksCanFail } from './support/prove-checks.ts';

proveChecksCanFail(
  ['lifecycle', 'retry', 'availability', 'boundary'],
  [
    'retry.429.backoff',
    'retry.500.no_duplicate',
    'retry.500.limit',
    'lifecycle.link_expiry',
    'availability.placeholder',
  ],
);
