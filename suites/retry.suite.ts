// Retry semantics of the client under test (the reference client, or yours via --client) against
// scripted mock faults, in virtual time.
import { defineConformanceSuite } from '../src/worker/define-suite.ts';
import { SUITE_FAMILIES } from '../src/run/suite-families.ts';

await defineConformanceSuite(SUITE_FAMILIES['retry.suite']!);
