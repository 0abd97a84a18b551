import type { TestApp } from '#test/helpers/test-app.js';

let phones = 15800000000;

/**
 * A xiaoma account through the API (send_code, then register), in one line. Needs VERIFICATION_ECHO_CODE on.
 * Numbers count up per test process; every suite has a database of its own.
 */
export async function registerXiaomaUser(
  t: TestApp,
  password = 'secret123',
): Promise<{ phone: string; token: string }> {
  const phone = String(++phones);
  const sent = await t.http.post('/Api/User/send_code').send({ phone });
  const code = (sent.body as { data?: { code?: string } }).data?.code;
  if (!code)
    throw new Error(`send_code echoed no code (VERIFICATION_ECHO_CODE off?): ${JSON.stringify(sent.body)}`);
  const res = await t.http.post('/Api/User/register').send({ phone, code, password });
  const token = (res.body as { data?: { token?: string } }).data?.token;
  if (!token) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  return { phone, token };
}

/** Uploads a PNG as the certificate and submits it (authenticationQualifications); answers the uploaded address. */
export async function submitXiaomaQualification(t: TestApp, token: string, png: Buffer): Promise<string> {
  const upload = await t.http
    .post(`/Api/User/upload_image/token/${token}`)
    .attach('file', png, { filename: 'cert.png', contentType: 'image/png' });
  const url = (upload.body as { data?: { url?: string } }).data?.url;
  if (!url) throw new Error(`upload_image failed: ${JSON.stringify(upload.body)}`);
  const res = await t.http
    .post(`/Api/User/authenticationQualifications/token/${token}`)
    .send({ picture: url });
  if ((res.body as { code?: number }).code !== 1000) {
    throw new Error(`authenticationQualifications failed: ${JSON.stringify(res.body)}`);
  }
  return url;
}
