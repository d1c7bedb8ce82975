/**
 * The credential `kling-conformance mock` accepts when none is given: printed in its banner and help, so it lives
 * apart from the auth checks (the CLI's help loads this, not jose).
 */
export const MOCK_DEFAULT_CREDENTIAL = { accessKey: 'kc-mock-access-key', secretKey: 'kc-mock-secret-key' } as const;
