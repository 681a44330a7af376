// Types of build-stamp.mjs for the tests that import it.
export declare const STAMP_FILE: string;
export declare function statFingerprint(root: string): string;
export declare function contentFingerprint(root: string): Promise<string>;
export declare function readStamp(distDir: string): { stat: string; content: string } | undefined;
export declare function isFresh(root: string, distDir: string): Promise<boolean>;
