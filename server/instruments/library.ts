// The instrument library: the JSON definitions shipped in surveys/, validated on load.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { surveysDir } from '../lib/paths.js';
import { parseDefinition } from './validate.js';
import type { Definition } from './schema.js';

export function libraryFiles(): string[] {
  return readdirSync(surveysDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(surveysDir, f));
}

/** Every library definition; throws naming the file and the first bad path if one is invalid. */
export function loadLibrary(): Definition[] {
  return libraryFiles().map((file) => parseDefinition(JSON.parse(readFileSync(file, 'utf8')), file));
}
