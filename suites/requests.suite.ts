// Free checks: documented rejections and auth errors (no task may be created).
import { defineConformanceSuite } from '../src/worker/define-suite.ts';
import { SUITE_FAMILIES } from '../src/run/suite-families.ts';

await defineConformanceSuite(SUITE_FAMILIES['requests.suite']!);
