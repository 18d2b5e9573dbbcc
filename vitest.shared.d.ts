/**
 * Vitest settings every project shares: resolve workspace packages to their TypeScript sources, and write a JSON
 * report per project next to the console output so CI can count real results.
 */
export declare function projectConfig(name: string): import('vite').UserConfig;
//# sourceMappingURL=vitest.shared.d.ts.map
