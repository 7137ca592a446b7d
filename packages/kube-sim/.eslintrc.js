module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  tsRules: {
    // Node runs src/ with type stripping: imports used only as types must say so, or the ES module link fails
    '@typescript-eslint/consistent-type-imports': [
      'error',
      { fixStyle: 'separate-type-imports' },
    ],
  },
});
