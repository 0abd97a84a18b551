import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import {
  CosmeticsRepository,
  type CatalogueBrand,
  type CatalogueClass,
} from '#src/cosmetics/cosmetics.repository.js';
import { CosmeticsService } from '#src/cosmetics/cosmetics.service.js';

/** Who changes the catalogue, for the audit log. */
export interface CatalogueActor {
  admin: Principal;
  ip?: string;
}

/**
 * The operators' side of the catalogue: add, rename, retire and restore classes and brands, and say which brands a
 * class lists. Every change is written with its audit entry in one transaction. Retiring keeps the row (artists'
 * kits refer to it) and takes it out of the app's lists; a retired name may be used again by a new entry.
 */
@Injectable()
export class CosmeticsCatalogueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: CosmeticsRepository,
    private readonly cosmetics: CosmeticsService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  listClasses(includeRetired: boolean): Promise<CatalogueClass[]> {
    return this.repository.listClasses(includeRetired);
  }

  listBrands(filter: { classId?: string; includeRetired: boolean }): Promise<CatalogueBrand[]> {
    return this.repository.listBrands(filter);
  }

  /** CONFLICT when a live class has the name (ignoring case). */
  addClass(name: string, by: CatalogueActor): Promise<CatalogueClass> {
    return this.changeClass(by, async (em, now) => {
      const id = await this.repository.insertClass(em, name, now);
      return { id, action: 'cosmetics.class.added', detail: { classId: id, name } };
    });
  }

  /** NOT_FOUND, or CONFLICT when another live class has the name. */
  renameClass(id: string, name: string, by: CatalogueActor): Promise<CatalogueClass> {
    return this.changeClass(by, async (em, now) => {
      const before = await this.repository.lockClass(em, id);
      if (!before) throw new DomainError('NOT_FOUND', 'no such cosmetics class');
      await this.repository.updateClass(em, id, { name }, now);
      return { id, action: 'cosmetics.class.renamed', detail: { classId: id, from: before.name, to: name } };
    });
  }

  /** Retires (`retired: true`) or restores a class. NOT_FOUND; CONFLICT when restoring a name taken meanwhile. */
  setClassRetired(id: string, retired: boolean, by: CatalogueActor): Promise<CatalogueClass> {
    return this.changeClass(by, async (em, now) => {
      const before = await this.repository.lockClass(em, id);
      if (!before) throw new DomainError('NOT_FOUND', 'no such cosmetics class');
      if (before.retired !== retired) await this.repository.updateClass(em, id, { retired }, now);
      return {
        id,
        action: retired ? 'cosmetics.class.retired' : 'cosmetics.class.restored',
        detail: { classId: id, name: before.name },
      };
    });
  }

  /** A brand, listed by the given classes. CONFLICT for a live name; INVALID_PARAMS for an unknown class id. */
  addBrand(
    brand: { name: string; country: string; classIds: string[] },
    by: CatalogueActor,
  ): Promise<CatalogueBrand> {
    return this.changeBrand(by, async (em, now) => {
      await this.requireClasses(em, brand.classIds);
      const id = await this.repository.insertBrand(em, brand, now);
      for (const classId of brand.classIds) await this.repository.link(em, classId, id);
      return {
        id,
        action: 'cosmetics.brand.added',
        detail: { brandId: id, name: brand.name, country: brand.country, classIds: brand.classIds },
      };
    });
  }

  /** Renames a brand or moves it to another country. NOT_FOUND; CONFLICT for a name another live brand has. */
  updateBrand(
    id: string,
    change: { name?: string; country?: string },
    by: CatalogueActor,
  ): Promise<CatalogueBrand> {
    return this.changeBrand(by, async (em, now) => {
      const before = await this.repository.lockBrand(em, id);
      if (!before) throw new DomainError('NOT_FOUND', 'no such cosmetics brand');
      await this.repository.updateBrand(em, id, change, now);
      return {
        id,
        action: 'cosmetics.brand.updated',
        detail: { brandId: id, from: { name: before.name, country: before.country }, to: change },
      };
    });
  }

  setBrandRetired(id: string, retired: boolean, by: CatalogueActor): Promise<CatalogueBrand> {
    return this.changeBrand(by, async (em, now) => {
      const before = await this.repository.lockBrand(em, id);
      if (!before) throw new DomainError('NOT_FOUND', 'no such cosmetics brand');
      if (before.retired !== retired) await this.repository.updateBrand(em, id, { retired }, now);
      return {
        id,
        action: retired ? 'cosmetics.brand.retired' : 'cosmetics.brand.restored',
        detail: { brandId: id, name: before.name },
      };
    });
  }

  /** The class lists the brand (`listed: true`) or no longer does. NOT_FOUND for either id. */
  setListed(classId: string, brandId: string, listed: boolean, by: CatalogueActor): Promise<CatalogueBrand> {
    return this.changeBrand(by, async (em) => {
      const brand = await this.repository.lockBrand(em, brandId);
      if (!brand) throw new DomainError('NOT_FOUND', 'no such cosmetics brand');
      const cls = await this.repository.lockClass(em, classId);
      if (!cls) throw new DomainError('NOT_FOUND', 'no such cosmetics class');
      if (listed) await this.repository.link(em, classId, brandId);
      else await this.repository.unlink(em, classId, brandId);
      return {
        id: brandId,
        action: listed ? 'cosmetics.brand.listed' : 'cosmetics.brand.unlisted',
        detail: { brandId, brand: brand.name, classId, class: cls.name },
      };
    });
  }

  private async requireClasses(em: EntityManager, classIds: string[]): Promise<void> {
    if (classIds.length === 0) return;
    const missing = await this.repository.missingClassIds(em, classIds);
    if (missing.length > 0) {
      throw new DomainError('INVALID_PARAMS', 'unknown cosmetics class id', { field: 'classIds', missing });
    }
  }

  private changeClass(
    by: CatalogueActor,
    write: (em: EntityManager, now: Date) => Promise<AuditedChange>,
  ): Promise<CatalogueClass> {
    return this.audited(by, write, (id) => this.repository.findClass(this.dataSource.manager, id));
  }

  private changeBrand(
    by: CatalogueActor,
    write: (em: EntityManager, now: Date) => Promise<AuditedChange>,
  ): Promise<CatalogueBrand> {
    return this.audited(by, write, (id) => this.repository.findBrand(this.dataSource.manager, id));
  }

  /** The change and its audit entry in one transaction; then the entry as it now reads. */
  private async audited<T>(
    by: CatalogueActor,
    write: (em: EntityManager, now: Date) => Promise<AuditedChange>,
    read: (id: string) => Promise<T | undefined>,
  ): Promise<T> {
    const id = await this.dataSource.transaction(async (em) => {
      const change = await write(em, this.clock.now());
      await this.record(em, by, change);
      return change.id;
    });
    this.cosmetics.forgetCachedClasses();
    const entry = await read(id);
    if (!entry) throw new Error(`cosmetics entry ${id} vanished after its change`);
    return entry;
  }

  private record(em: EntityManager, by: CatalogueActor, change: AuditedChange): Promise<void> {
    return this.audit.record(em, {
      actorId: by.admin.userId,
      actor: by.admin.user.email ?? `user:${by.admin.userId}`,
      action: change.action,
      detail: change.detail,
      ip: by.ip,
    });
  }
}

interface AuditedChange {
  id: string;
  action: string;
  detail: Record<string, unknown>;
}
