// Handlebars as the Express view engine: one layout (views/layouts/main.hbs), partials in views/partials.
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import { join } from 'node:path';
import { viewsDir } from '../paths.js';
import { helpers } from './helpers/index.js';

export function useViews(app: Express, cache: boolean): void {
  const render = engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: join(viewsDir, 'layouts'), partialsDir: join(viewsDir, 'partials'), helpers });
  // Given a callback, express-handlebars hands every error to it and its own promise resolves regardless.
  app.engine('hbs', (path, options, callback) => void render(path, options, callback));
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  app.set('view cache', cache);
}
