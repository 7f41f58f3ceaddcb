import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ACCESS_RULE, type AccessRule } from '../../src/auth/access.decorator';
import { HOST_KIND, type HostKind } from '../../src/tenancy/host-kind.decorator';

export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly host: HostKind;
  readonly rule: AccessRule | undefined;
  readonly name: string;
}

/** Every route the running app serves, read from Nest's own controller metadata (so a new route is listed automatically). */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = normalize(Reflect.getMetadata(PATH_METADATA, controller));
      const proto = controller.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(proto)) {
        const handler = proto[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (methodPath === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, controller)) as AccessRule | undefined;
        const host = (Reflect.getMetadata(HOST_KIND, handler) ?? Reflect.getMetadata(HOST_KIND, controller) ?? 'clinic') as HostKind;
        for (const p of Array.isArray(methodPath) ? methodPath : [methodPath]) {
          const path = `/${[base, normalize(p)].filter(Boolean).join('/')}`;
          routes.push({ method, path, host, rule, name: `${controller.name}.${key}` });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function normalize(path: string | string[] | undefined): string {
  const p = Array.isArray(path) ? path[0] : (path ?? '');
  return p.replace(/^\/+|\/+$/g, '');
}
