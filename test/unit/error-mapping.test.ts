import { expect } from 'chai';
import { z } from 'zod';
import mongoose from 'mongoose';
import { AppError, notFound } from '../../server/lib/errors.js';
import { toAppError } from '../../server/lib/error-handler.js';

describe('error mapping', () => {
  it('keeps a 404 a 404', () => {
    const mapped = toAppError(notFound('No such campaign.'));
    expect(mapped.status).to.equal(404);
    expect(mapped.code).to.equal('not_found');
    expect(mapped.message).to.equal('No such campaign.');
  });

  it('turns a zod validation error into a 400 that names the field', () => {
    const result = z.object({ name: z.string() }).safeParse({ name: 3 });
    const mapped = toAppError(result.error);
    expect(mapped.status).to.equal(400);
    expect(mapped.code).to.equal('validation_failed');
    expect(mapped.message).to.match(/name: /);
  });

  it('turns a mongoose cast error into a 400', () => {
    const err = new mongoose.Error.CastError('ObjectId', 'zzz', '_id');
    expect(toAppError(err).status).to.equal(400);
  });

  it('turns body-parser errors into 400 and 413', () => {
    expect(toAppError(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 })).status).to.equal(400);
    expect(toAppError(Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 })).status).to.equal(413);
  });

  it('turns an unknown error into a 500 that leaks nothing', () => {
    const mapped = toAppError(new TypeError('Cannot read properties of undefined (reading "secretField") at /srv/app.js:12'));
    expect(mapped.status).to.equal(500);
    expect(mapped.code).to.equal('internal');
    expect(mapped.message).not.to.match(/secretField|app\.js|TypeError/);
  });

  it('turns lost database connections into a retryable 503', () => {
    const err = Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });
    const mapped = toAppError(err);
    expect(mapped.status).to.equal(503);
    expect(mapped.retryAfter).to.be.greaterThan(0);
  });

  it('passes AppError through unchanged', () => {
    const original = new AppError(409, 'already_answered', 'Already answered.');
    expect(toAppError(original)).to.equal(original);
  });
});
