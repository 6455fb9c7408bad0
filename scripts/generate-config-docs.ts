import { writeFileSync } from 'node:fs';
import { renderConfigurationDocs } from './config-docs.js';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigurationDocs());
process.stdout.write('wrote docs/configuration.md\n');
