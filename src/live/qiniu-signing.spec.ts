import { describe, expect, it } from '@jest/globals';
import {
  hmacSha1UrlSafe,
  piliPublishUrl,
  qiniuAuthorization,
  qiniuSigningString,
  signPlayUrl,
  urlSafeBase64,
} from '#src/live/qiniu-signing.js';

/*
 * Every expected value below was computed outside Node, with OpenSSL, so the code is checked against an independent
 * implementation rather than against itself:
 *
 *   HMAC (URL-safe base64):  printf '%s' '<text>' | openssl dgst -sha1 -hmac '<secret>' -binary | base64 | tr '+/' '-_'
 *   signing strings (\n):    printf '<text with \n>' | openssl dgst -sha1 -hmac '<secret>' -binary | base64 | tr '+/' '-_'
 *   play signatures:         printf '%s' '<key><path><hex expiry>' | openssl dgst -md5 -r
 *   hex expiry:              printf '%x' 1484000000   → 58740b00
 */
const ACCESS_KEY = 'test-access-key';
const SECRET_KEY = 'test-secret-key';
const KEY = '586f00dd5e77b017852a1a7e';

describe('Qiniu signing', () => {
  it("should reproduce Qiniu's own published example of an HMAC-SHA1 publish token", () => {
    // developer.qiniu.com/pili/6678: SignStr "/testhub/teststreamtitle?expire=1584522520", key 12345678.
    expect(hmacSha1UrlSafe('12345678', '/testhub/teststreamtitle?expire=1584522520')).toBe(
      'zYvN7rHgJiw2QUSo_xRoBZIf1kM=',
    );
  });

  it('should sign an expiry_sk publish URL with the access key and the HMAC of "/<hub>/<key>?e=<expiry>"', () => {
    // printf '%s' '/mrpyq/586f00dd5e77b017852a1a7e?e=1484000000' | openssl dgst -sha1 -hmac 'test-secret-key' -binary | base64 | tr '+/' '-_'
    expect(
      piliPublishUrl({
        domain: 'pili-publish.mrpyq.com',
        hub: 'mrpyq',
        streamKey: KEY,
        expireAt: 1484000000,
        accessKey: ACCESS_KEY,
        secretKey: SECRET_KEY,
      }),
    ).toBe(
      `rtmp://pili-publish.mrpyq.com/mrpyq/${KEY}?e=1484000000&token=test-access-key:qMRk3VdkW4tveYpfcK1yf4FebDg=`,
    );
  });

  it('should build the management signing string of a JSON POST, body included', () => {
    const request = {
      method: 'POST',
      url: 'https://pili.qiniuapi.com/v2/hubs/mrpyq/streams',
      contentType: 'application/json',
      body: `{"key":"${KEY}"}`,
    };
    expect(qiniuSigningString(request)).toBe(
      `POST /v2/hubs/mrpyq/streams\nHost: pili.qiniuapi.com\nContent-Type: application/json\n\n{"key":"${KEY}"}`,
    );
    // printf 'POST /v2/hubs/mrpyq/streams\nHost: pili.qiniuapi.com\nContent-Type: application/json\n\n{"key":"586f00dd5e77b017852a1a7e"}' | openssl dgst -sha1 -hmac 'test-secret-key' -binary | base64 | tr '+/' '-_'
    expect(qiniuAuthorization(ACCESS_KEY, SECRET_KEY, request)).toBe(
      'Qiniu test-access-key:Y3sAqIgP42BqY8sP1PCwT4KCgCI=',
    );
  });

  it('should sign a body-less GET with its Content-Type line and an empty body', () => {
    // printf '%s' 586f00dd5e77b017852a1a7e | base64 | tr '+/' '-_'  → NTg2ZjAwZGQ1ZTc3YjAxNzg1MmExYTdl
    expect(urlSafeBase64(KEY)).toBe('NTg2ZjAwZGQ1ZTc3YjAxNzg1MmExYTdl');
    // printf 'GET /v2/hubs/mrpyq/streams/NTg2ZjAwZGQ1ZTc3YjAxNzg1MmExYTdl\nHost: pili.qiniuapi.com\nContent-Type: application/json\n\n' | openssl dgst -sha1 -hmac 'test-secret-key' -binary | base64 | tr '+/' '-_'
    expect(
      qiniuAuthorization(ACCESS_KEY, SECRET_KEY, {
        method: 'GET',
        url: 'https://pili.qiniuapi.com/v2/hubs/mrpyq/streams/NTg2ZjAwZGQ1ZTc3YjAxNzg1MmExYTdl',
        contentType: 'application/json',
      }),
    ).toBe('Qiniu test-access-key:yAynCBkfghrHxf5TdiQYk-IIr4U=');
  });

  it('should sign the Host header with its port when the API is not on the default port', () => {
    // printf 'POST /v2/hubs/mrpyq/streams/NTg2ZjAwZGQ1ZTc3YjAxNzg1MmExYTdl/disabled\nHost: 127.0.0.1:8080\nContent-Type: application/json\n\n{"disabledTill":-1}' | openssl dgst -sha1 -hmac 'test-secret-key' -binary | base64 | tr '+/' '-_'
    expect(
      qiniuAuthorization(ACCESS_KEY, SECRET_KEY, {
        method: 'POST',
        url: 'http://127.0.0.1:8080/v2/hubs/mrpyq/streams/NTg2ZjAwZGQ1ZTc3YjAxNzg1MmExYTdl/disabled',
        contentType: 'application/json',
        body: '{"disabledTill":-1}',
      }),
    ).toBe('Qiniu test-access-key:5G0YqiPWcg3SCBKqYKZdYYZaSfg=');
  });

  it('should add X-Qiniu-* headers to the signing string, canonical and sorted, and ignore other headers', () => {
    expect(
      qiniuSigningString({
        method: 'get',
        url: 'https://pili.qiniuapi.com/v2/hubs?limit=10',
        contentType: 'application/json',
        headers: { 'x-qiniu-zz': '2', 'X-QINIU-AA': '1', 'X-Qiniu-': 'ignored', 'User-Agent': 'ignored' },
      }),
    ).toBe(
      'GET /v2/hubs?limit=10\nHost: pili.qiniuapi.com\nContent-Type: application/json\nX-Qiniu-Aa: 1\nX-Qiniu-Zz: 2\n\n',
    );
  });

  it('should leave a binary body out of the signature', () => {
    expect(
      qiniuSigningString({
        method: 'POST',
        url: 'https://pili.qiniuapi.com/upload',
        contentType: 'application/octet-stream',
        body: 'bytes',
      }),
    ).toBe('POST /upload\nHost: pili.qiniuapi.com\nContent-Type: application/octet-stream\n\n');
  });

  it('should sign play URLs with md5(key + path + hex expiry) in sign and t', () => {
    // printf '%s' 'test-play-key/mrpyq/586f00dd5e77b017852a1a7e.m3u858740b00' | openssl dgst -md5 -r
    expect(signPlayUrl(`http://pili-live-hls.mrpyq.com/mrpyq/${KEY}.m3u8`, 'test-play-key', 1484000000)).toBe(
      `http://pili-live-hls.mrpyq.com/mrpyq/${KEY}.m3u8?sign=1eb5ee7a506697292af6c71bc3014178&t=58740b00`,
    );
    // printf '%s' 'test-play-key/mrpyq/586f00dd5e77b017852a1a7e.flv58740b00' | openssl dgst -md5 -r
    expect(signPlayUrl(`http://pili-live-hdl.mrpyq.com/mrpyq/${KEY}.flv`, 'test-play-key', 1484000000)).toBe(
      `http://pili-live-hdl.mrpyq.com/mrpyq/${KEY}.flv?sign=a719a1657d4be71014f7d94d38981e15&t=58740b00`,
    );
    // printf '%s' 'test-play-key/mrpyq/586f00dd5e77b017852a1a7e58740b00' | openssl dgst -md5 -r
    expect(signPlayUrl(`rtmp://pili-live-rtmp.mrpyq.com/mrpyq/${KEY}`, 'test-play-key', 1484000000)).toBe(
      `rtmp://pili-live-rtmp.mrpyq.com/mrpyq/${KEY}?sign=8619f77e5effc0de445507920fb036e8&t=58740b00`,
    );
  });
});
