// Generated boundary cases (src/cases), one check per rule, sent with a concurrency limit. On live targets only
// the cases the provider must reject are sent unless --allow-paid.
import { defineConformanceSuite } from '../src/run/define-suite.ts';

await defineConformanceSuite(['boundary']);
