// One billable task per provider, judged by every check that needs it: defaults (measured in the video),
// response shapes, the lifecycle, and availability.
import { defineConformanceSuite } from '../src/worker/define-suite.ts';
import { SUITE_FAMILIES } from '../src/run/suite-families.ts';

await defineConformanceSuite(SUITE_FAMILIES['task.suite']!);
