// Where the project's folders are, whether we run from server/ (tsx) or from dist/server/ (compiled).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + start);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const viewsDir = join(projectRoot, 'views');
export const publicDir = join(projectRoot, 'public');
export const surveysDir = join(projectRoot, 'surveys');
export const localesDir = join(projectRoot, 'server', 'lib', 'i18n', 'locales');
export const ferretdbBinary = join(projectRoot, '.cache', 'ferretdb', 'ferretdb');
