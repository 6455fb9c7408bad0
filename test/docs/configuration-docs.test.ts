import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDocs } from '../../scripts/config-docs.js';
import { envVariables } from '../../src/core/config/env.js';

describe('docs/configuration.md', () => {
  const onDisk = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

  it('is generated from the current schema (run `npm run docs:config` after changing it)', () => {
    expect(onDisk).toBe(renderConfigurationDocs());
  });

  it('names every environment variable', () => {
    for (const v of envVariables) expect(onDisk).toContain(`\`${v.name}\``);
  });
});
