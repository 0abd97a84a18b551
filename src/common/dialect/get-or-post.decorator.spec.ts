import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Controller,
  HttpCode,
  Param,
  Query,
  RequestMethod,
  SetMetadata,
  type INestApplication,
} from '@nestjs/common';
import {
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';

@Controller('things')
class ThingsController {
  readonly owner = 'things';

  @GetOrPost(':id')
  @HttpCode(200)
  @SetMetadata('concord:test', { marker: true })
  find(@Param('id') id: string, @Query('q') q: string): { id: string; q: string; owner: string } {
    return { id, q, owner: this.owner };
  }
}

type WithClone = ThingsController & { findViaPost: ThingsController['find'] };
const proto = ThingsController.prototype as WithClone;

describe(GetOrPost.name, () => {
  it('should keep the original handler on GET', () => {
    expect(Reflect.getMetadata(METHOD_METADATA, proto.find)).toBe(RequestMethod.GET);
    expect(Reflect.getMetadata(PATH_METADATA, proto.find)).toBe(':id');
  });

  it('should add a clone on POST at the same path', () => {
    expect(typeof proto.findViaPost).toBe('function');
    expect(proto.findViaPost).not.toBe(proto.find);
    expect(Reflect.getMetadata(METHOD_METADATA, proto.findViaPost)).toBe(RequestMethod.POST);
    expect(Reflect.getMetadata(PATH_METADATA, proto.findViaPost)).toBe(':id');
  });

  it('should copy the metadata of the decorators below it onto the clone', () => {
    expect(Reflect.getMetadata('concord:test', proto.findViaPost)).toEqual({ marker: true });
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, proto.findViaPost)).toBe(200);
  });

  it('should copy the route-argument metadata onto the clone', () => {
    const original: unknown = Reflect.getMetadata(ROUTE_ARGS_METADATA, ThingsController, 'find');
    expect(original).toBeDefined();
    expect(Object.keys(original as object)).toHaveLength(2);
    expect(Reflect.getMetadata(ROUTE_ARGS_METADATA, ThingsController, 'findViaPost')).toEqual(original);
  });

  it('should copy the parameter design types onto the clone', () => {
    expect(Reflect.getMetadata('design:paramtypes', proto, 'findViaPost')).toEqual([String, String]);
  });

  it('should call the original handler with the same this and arguments', () => {
    const controller = new ThingsController() as WithClone;
    expect(controller.findViaPost('7', 'x')).toEqual({ id: '7', q: 'x', owner: 'things' });
  });

  it('should define the clone like a class method (not enumerable)', () => {
    expect(Object.getOwnPropertyDescriptor(proto, 'findViaPost')).toMatchObject({
      enumerable: false,
      writable: true,
    });
  });

  describe('in a Nest application', () => {
    let app: INestApplication;

    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
    });
    afterAll(async () => {
      await app.close();
    });

    it('should serve the handler on GET with its parameters', async () => {
      const res = await request(app.getHttpServer()).get('/things/7').query({ q: 'by-get' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: '7', q: 'by-get', owner: 'things' });
    });

    it('should serve the same handler on POST with its parameters and status', async () => {
      const res = await request(app.getHttpServer()).post('/things/8').query({ q: 'by-post' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: '8', q: 'by-post', owner: 'things' });
    });

    it('should serve no other method', async () => {
      const res = await request(app.getHttpServer()).put('/things/8');
      expect(res.status).toBe(404);
    });
  });
});
