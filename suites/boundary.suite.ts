// Generated boundary cases (src/cases), one check per rule, sent with a concurrency limit. On live targets only
// the cases the provider must reject are sent unless --allow-paid.
import { defineConformanceSuite } from '../src/worker/define-suite.ts';
import { SUITE_FAMILIES } from '../src/run/suite-families.ts';

await defineConformanceSuite(SUITE_FAMILIES['boundary.suite']!);
