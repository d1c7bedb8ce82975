export declare const ROOT: string;
export declare const BUILD_STAMP: string;
/** 'dist' (built, and no newer source), or 'source' (a checkout whose build is missing or older than an edit). */
export declare function codeToRun(): 'dist' | 'source';
