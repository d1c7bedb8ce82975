/**
 * The credential `kling-conformance mock` accepts when none is given: printed in its banner and help, so it lives
 * apart from the auth checks (the CLI's help loads this, not jose).
 */
export const MOCK_DEFAULT_CREDENTIAL = { accessKey: 'kc-mock-access-key', secretKey: 'kc-mock-secret-key' } as const;

/**
 * The key the auth checks send as a wrong one starts with this. A mock started without --valid-key accepts any
 * other non-empty key (it cannot know which key a client was given), so this is the one key it can know is wrong:
 * without it a live run against a plain mock would see the wrong key accepted and warn on auth.invalid_key.
 */
export const WRONG_KEY_PREFIX = 'kc-invalid-key-';
