import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { CosmeticsSelection } from '#src/cosmetics/cosmetics-info.js';
import { CosmeticsRepository, type KitEntry } from '#src/cosmetics/cosmetics.repository.js';

/** nggirl `listCosmeticsBrand`'s data: one country and the brands from it, as the document shows. */
export interface BrandsOfCountry {
  country: string;
  brand: string[];
}

/**
 * How long a process answers the class list from memory. The list is read on every screen of the artists' app and
 * changes a few times a year; an operator's change shows at once on the instance that made it, within this on others.
 */
const CLASS_LIST_CACHE_MS = 5_000;

/** The cosmetics catalogue as the artists' app reads it, and each artist's kit. */
@Injectable()
export class CosmeticsService {
  private classNames?: { names: string[]; until: number };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: CosmeticsRepository,
  ) {}

  /** nggirl `listCosmeticsClass`: live class names in catalogue order. */
  async listClassNames(): Promise<string[]> {
    // Process time, not the domain Clock: this is a cache's freshness, and tests that move the clock must not see
    // stale lists.
    const now = Date.now();
    if (this.classNames && this.classNames.until > now) return [...this.classNames.names];
    const names = await this.repository.liveClassNames();
    this.classNames = { names, until: now + CLASS_LIST_CACHE_MS };
    return [...names];
  }

  /** The catalogue changed here: the next read goes to the database. */
  forgetCachedClasses(): void {
    this.classNames = undefined;
  }

  /**
   * nggirl `listCosmeticsBrand`: the live brands a class lists, grouped by country (countries in catalogue order).
   * An unknown or retired class is INVALID_PARAMS.
   */
  async brandsOfClass(className: string): Promise<BrandsOfCountry[]> {
    const found = className.trim() ? await this.repository.findLiveClassByName(className) : undefined;
    if (!found) {
      throw new DomainError('INVALID_PARAMS', 'unknown cosmetics class', { field: 'cosmeticsClass' });
    }
    const groups: BrandsOfCountry[] = [];
    for (const row of await this.repository.liveBrandsOfClass(found.id)) {
      const last = groups[groups.length - 1];
      if (last?.country === row.country) last.brand.push(row.name);
      else groups.push({ country: row.country, brand: [row.name] });
    }
    return groups;
  }

  /**
   * nggirl `setCosmeticsInfo`: replaces the artist's kit and answers it as saved, named as the catalogue writes
   * them. Every class and brand must be a live catalogue entry (matched ignoring case), else INVALID_PARAMS naming
   * the unknown ones; a brand need not be one the class lists (the lists guide the picker, the kit is the
   * artist's). A class or brand named twice counts once, where it first appears.
   */
  async setArtistCosmetics(userId: string, selection: CosmeticsSelection[]): Promise<CosmeticsSelection[]> {
    const classes = await this.repository.resolveLive('classes', [
      ...new Set(selection.map((entry) => entry.cosmeticsClass)),
    ]);
    const brands = await this.repository.resolveLive('brands', [
      ...new Set(selection.flatMap((entry) => entry.cosmeticsBrand)),
    ]);
    const unknownClasses = [...classes].filter(([, row]) => !row).map(([name]) => name);
    const unknownBrands = [...brands].filter(([, row]) => !row).map(([name]) => name);
    if (unknownClasses.length > 0 || unknownBrands.length > 0) {
      throw new DomainError('INVALID_PARAMS', 'unknown cosmetics class or brand', {
        field: 'cosmeticsInfo',
        unknownClasses,
        unknownBrands,
      });
    }

    const kit = new Map<string, { entry: KitEntry; saved: CosmeticsSelection; brandIds: Set<string> }>();
    for (const { cosmeticsClass, cosmeticsBrand } of selection) {
      const cls = classes.get(cosmeticsClass)!;
      let slot = kit.get(cls.id);
      if (!slot) {
        slot = {
          entry: { classId: cls.id, brandIds: [] },
          saved: { cosmeticsClass: cls.name, cosmeticsBrand: [] },
          brandIds: new Set(),
        };
        kit.set(cls.id, slot);
      }
      for (const brandName of cosmeticsBrand) {
        const brand = brands.get(brandName)!;
        if (slot.brandIds.has(brand.id)) continue;
        slot.brandIds.add(brand.id);
        slot.entry.brandIds.push(brand.id);
        slot.saved.cosmeticsBrand.push(brand.name);
      }
    }
    // Concurrent replacements of one kit take turns on the user's row.
    await this.dataSource.transaction(async (em) => {
      await this.repository.lockKit(em, userId);
      await this.repository.replaceKit(
        em,
        userId,
        [...kit.values()].map((slot) => slot.entry),
      );
    });
    return [...kit.values()].map((slot) => slot.saved);
  }

  /** The artist's kit as saved (retired entries included: they were true when chosen). */
  artistCosmetics(userId: string): Promise<CosmeticsSelection[]> {
    return this.repository.kitOf(userId);
  }
}
