import { describe, expect, it } from '@jest/globals';
import { parseQqCallback } from '#src/sns/providers/qq.provider.js';

describe(parseQqCallback.name, () => {
  it('should read QQ’s JSONP answers, with or without the spaces and semicolon', () => {
    expect(parseQqCallback('callback( {"client_id":"101","openid":"ABC"} );\n')).toEqual({
      client_id: '101',
      openid: 'ABC',
    });
    expect(
      parseQqCallback('callback({"error":100019,"error_description":"code to access token error"})'),
    ).toEqual({
      error: 100019,
      error_description: 'code to access token error',
    });
  });

  it('should read bare JSON (QQ with fmt=json)', () => {
    expect(parseQqCallback(' {"openid":"X"} ')).toEqual({ openid: 'X' });
  });

  it('should not take a form-encoded token answer or anything else for JSONP', () => {
    for (const text of [
      'access_token=FE04&expires_in=7776000&refresh_token=88E4',
      'callback( [1,2] );',
      'callback( {"a":1 );',
      'alert( {"a":1} );',
      '<html>502</html>',
      '',
    ]) {
      expect(parseQqCallback(text)).toBeUndefined();
    }
  });
});
