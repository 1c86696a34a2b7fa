// The landing page: what Pikir is, and the way in for each kind of user.
import { Router } from 'express';

export function homeRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('home', { titleKey: 'home.title' });
  });
  return router;
}
