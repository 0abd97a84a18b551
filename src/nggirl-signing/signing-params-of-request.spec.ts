import { describe, expect, it } from '@jest/globals';
import express, { type Request, type Response } from 'express';
import multer from 'multer';
import request from 'supertest';
import { canonicalString, signingParamsOfRequest } from '#src/nggirl-signing/canonical-string.js';

/** The body parsers as src/app.factory.ts sets them up, and a route that answers the string to sign. */
function app() {
  const server = express();
  const json = express.json({ type: ['application/json', 'application/*+json', 'text/json'] });
  const urlencoded = express.urlencoded({ extended: false });
  const multipart = multer({ storage: multer.memoryStorage() }).any();
  server.use((req, res, next) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) next();
    else if (req.is('multipart/form-data')) multipart(req, res, next);
    else if (req.is('application/x-www-form-urlencoded')) urlencoded(req, res, next);
    else json(req, res, next);
  });
  server.all('/sign', (req: Request, res: Response) => {
    res.type('text/plain').send(canonicalString(signingParamsOfRequest(req)));
  });
  return server;
}

describe(signingParamsOfRequest.name, () => {
  const expected = 'a=1&app_id=dev&nonce=n&phoneNum=13581878073&q=x y+z&timestamp=1700000000&粉=底';
  const all = {
    a: '1',
    app_id: 'dev',
    nonce: 'n',
    phoneNum: '13581878073',
    q: 'x y+z',
    timestamp: '1700000000',
    粉: '底',
  };

  it('should read every parameter from the query string of a GET, decoded', async () => {
    const res = await request(app())
      .get('/sign')
      .query({ ...all, sign: 'abc' });
    expect(res.text).toBe(expected);
  });

  it('should give the same string with the parameters split between query string and an urlencoded body', async () => {
    const res = await request(app())
      .post('/sign')
      .query({ app_id: 'dev', nonce: 'n', timestamp: '1700000000', sign: 'abc' })
      .type('form')
      .send({ a: '1', phoneNum: '13581878073', q: 'x y+z', 粉: '底' });
    expect(res.text).toBe(expected);
  });

  it('should give the same string with a JSON body', async () => {
    const res = await request(app())
      .post('/sign')
      .query({ sign: 'abc' })
      .send({ ...all, timestamp: 1700000000, a: 1 });
    expect(res.text).toBe(expected);
  });

  // Field names in ASCII: busboy reads a part's name as latin1 unless multer is given `defParamCharset: 'utf8'`
  // (the nggirl parameter names are all ASCII; values are UTF-8 either way).
  it('should read multipart fields and leave the files out', async () => {
    const res = await request(app())
      .post('/sign')
      .query({ app_id: 'dev', sign: 'abc' })
      .field('nonce', 'n')
      .field('timestamp', '1700000000')
      .field('a', '1')
      .field('phoneNum', '13581878073')
      .field('q', 'x y+z')
      .field('x', '底')
      .attach('file', Buffer.from('not signed'), 'photo.jpg');
    expect(res.text).toBe('a=1&app_id=dev&nonce=n&phoneNum=13581878073&q=x y+z&timestamp=1700000000&x=底');
  });

  it('should sign every occurrence of a repeated name', async () => {
    const res = await request(app()).post('/sign?tag=b&tag=a').type('form').send('tag=c&x=1');
    expect(res.text).toBe('tag=a&tag=b&tag=c&x=1');
  });
});
