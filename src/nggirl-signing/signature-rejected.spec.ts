import { describe, expect, it } from '@jest/globals';
import { TransportFailure } from '#src/common/errors/transport-failure.js';
import { SignatureRejected } from '#src/nggirl-signing/signature-rejected.js';

describe(SignatureRejected.name, () => {
  it('should say which check failed, in both languages, naming the parameter at fault', () => {
    const sut = new SignatureRejected('missing_parameter', 'nonce');
    expect(sut.message).toBe('a signing parameter is missing: nonce');
    expect(sut.text).toEqual({ zh: '缺少签名参数: nonce', en: 'a signing parameter is missing: nonce' });
    expect(sut.describe('zh')).toBe('缺少签名参数: nonce');
  });

  it("should become the pipeline's BAD_SIGNATURE with the reason for the client and the log", () => {
    const failure = new SignatureRejected('reused_nonce').toTransportFailure();
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure).toMatchObject({
      code: 'BAD_SIGNATURE',
      reason: { zh: '请求已被使用（nonce 重复）', en: 'this nonce was already used' },
      detail: { reason: 'reused_nonce', parameter: undefined },
    });
  });
});
