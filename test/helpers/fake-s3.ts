import { request as httpRequest, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import multer from 'multer';
import S3rver from 's3rver';
import { verifyPostPolicy } from '#src/media/post-policy.js';

export interface FakeS3 {
  /** Where the app's S3 client and the clients' upload forms go (path-style). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Every upload form the front refused, with S3's reason. */
  refused: string[];
  close(): Promise<void>;
}

/**
 * An S3-compatible store on loopback: s3rver holds the objects and speaks S3's REST protocol, but it does not
 * enforce POST policies (it ignores the policy field). A small front enforces them the way S3 does — signature,
 * expiry, conditions, no unnamed field — with the app's SigV4 verifier, then hands the form to s3rver; every other
 * request is passed through unchanged. The verifier itself is checked against forms the AWS SDK signs
 * (src/media/post-policy.spec.ts).
 */
export async function startFakeS3(): Promise<FakeS3> {
  const directory = await mkdtemp(join(tmpdir(), 'concord-s3rver-'));
  const bucket = 'nuzzle-uploads';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port: s3Port } = await s3rver.run();
  const upstream = `http://127.0.0.1:${s3Port}`;
  const refused: string[] = [];

  const app = express();
  const form = multer({ storage: multer.memoryStorage() }).any();
  app.post([`/${bucket}`, `/${bucket}/`], form, (req: Request, res: Response) => {
    void (async () => {
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      const file = files.find((f) => f.fieldname === 'file');
      const fields = { ...(req.body as Record<string, string>) };
      if (!file) {
        res.status(400).type('application/xml').send('<Error><Code>InvalidArgument</Code></Error>');
        return;
      }
      if (fields.key) fields.key = fields.key.replace('${filename}', file.originalname);
      const verdict = verifyPostPolicy(credentials, {
        form: fields,
        bucket,
        fileSize: file.size,
        now: new Date(),
      });
      if (!verdict.ok) {
        refused.push(verdict.reason);
        res
          .status(403)
          .type('application/xml')
          .send(
            `<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: ${verdict.reason}</Message></Error>`,
          );
        return;
      }
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      body.append('file', new Blob([file.buffer], { type: file.mimetype }), file.originalname);
      const answer = await fetch(`${upstream}/${bucket}`, { method: 'POST', body });
      res.status(answer.status).send(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  app.use((req: Request, res: Response) => {
    const proxied = httpRequest(
      `${upstream}${req.originalUrl}`,
      { method: req.method, headers: { ...req.headers, host: `127.0.0.1:${s3Port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  });
  const front: Server = await new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
  const { port } = front.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    ...credentials,
    refused,
    async close() {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
