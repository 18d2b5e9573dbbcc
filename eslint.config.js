import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers: demo → {verify, optimize} → {symbolic, autograd} → {loops, libm}. autograd and symbolic never import
 * each other (each keeps its own derivative rules, so their agreement means something), verify and optimize never
 * import each other, loops (which computes no numbers) and libm (e^x and ln(1 + x), which both engines compute
 * with) import no other library, and no library imports a layer above it.
 */
const layers = {
  libm: [
    '@crossgrad/loops',
    '@crossgrad/autograd',
    '@crossgrad/symbolic',
    '@crossgrad/verify',
    '@crossgrad/optimize',
    '@crossgrad/demo',
  ],
  loops: [
    '@crossgrad/autograd',
    '@crossgrad/symbolic',
    '@crossgrad/verify',
    '@crossgrad/optimize',
    '@crossgrad/demo',
    '@crossgrad/libm',
  ],
  autograd: ['@crossgrad/symbolic', '@crossgrad/verify', '@crossgrad/optimize', '@crossgrad/demo'],
  symbolic: ['@crossgrad/autograd', '@crossgrad/verify', '@crossgrad/optimize', '@crossgrad/demo'],
  verify: ['@crossgrad/optimize', '@crossgrad/demo'],
  optimize: ['@crossgrad/verify', '@crossgrad/demo'],
};

const layerRules = Object.entries(layers).map(([lib, forbidden]) => {
  const others = forbidden.map((name) => name.replace('@crossgrad/', ''));
  return {
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...forbidden, ...forbidden.map((name) => `${name}/*`)],
              message: `${lib} must not import ${others.join(', ')}: see ARCHITECTURE.md (the layers).`,
            },
            {
              regex: `(^|/)(${others.join('|')})/(src|test|bench|fuzz)(/|$)`,
              message: `${lib} must not reach into ${others.join(', ')} by a relative path: see ARCHITECTURE.md.`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/dist-web/**',
      'out-tsc/**',
      '.nx/**',
      '.test-results/**',
      '**/node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  ...layerRules,
);
