import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The starting catalogue: the classes and brands a make-up artist names, written the way api-docs/nggirl.md writes
 * them ("Dior迪奥", "香奈儿chanel", "粉底液"), each brand under the country it comes from and linked to the classes
 * it makes. Operators change it afterwards through /admin; this migration is never edited once released.
 */

const CLASSES = [
  '粉底液',
  '粉饼',
  '散粉',
  '眼影',
  '眼线笔',
  '眼线膏',
  '隔离霜',
  '妆前乳',
  'BB霜',
  '气垫',
  '遮瑕',
  '腮红',
  '修容',
  '高光',
  '眉笔',
  '眉粉',
  '睫毛膏',
  '口红',
  '唇釉',
  '唇彩',
  '定妆喷雾',
  '卸妆',
  '化妆刷',
  '美妆蛋',
] as const;

type ClassName = (typeof CLASSES)[number];

const BASE: ClassName[] = ['粉底液', '粉饼', '散粉', '隔离霜', '妆前乳', '遮瑕'];
const CHEEK: ClassName[] = ['腮红', '修容', '高光'];
const EYE: ClassName[] = ['眼影', '眼线笔', '眼线膏', '睫毛膏'];
const BROW: ClassName[] = ['眉笔', '眉粉'];
const LIP: ClassName[] = ['口红', '唇釉', '唇彩'];
const FULL: ClassName[] = [...BASE, ...CHEEK, ...EYE, ...BROW, ...LIP];

/** [name, country, classes]; countries list in the order of their first brand here (France first, as documented). */
const BRANDS: Array<[string, string, ClassName[]]> = [
  ['Dior迪奥', '法国', [...FULL, '气垫']],
  ['香奈儿chanel', '法国', [...FULL, '气垫']],
  ['Givenchy纪梵希', '法国', FULL],
  ['娇兰Guerlain', '法国', FULL],
  ['兰蔻Lancome', '法国', [...FULL, '气垫', '卸妆']],
  ['YSL圣罗兰', '法国', [...FULL, '气垫']],
  ['Make Up For Ever玫珂菲', '法国', [...FULL, '定妆喷雾', '化妆刷']],
  ['娇韵诗Clarins', '法国', [...BASE, ...CHEEK, ...EYE, ...LIP, '卸妆']],
  ['希思黎Sisley', '法国', [...BASE, ...CHEEK, ...EYE, ...LIP]],
  ['妙巴黎Bourjois', '法国', FULL],
  ["欧莱雅L'Oreal", '法国', [...FULL, 'BB霜', '卸妆']],
  ['香缇卡Chantecaille', '法国', [...BASE, ...CHEEK, ...EYE, ...LIP]],
  ['贝德玛Bioderma', '法国', ['卸妆']],
  ['丝芙兰Sephora', '法国', [...FULL, '卸妆', '化妆刷', '美妆蛋']],

  ['glo&ray', '英国', [...BASE, ...CHEEK]],
  ['巴宝莉Burberry', '英国', [...BASE, ...CHEEK, ...EYE, ...BROW, ...LIP]],
  ['博姿Boots', '英国', [...FULL, '卸妆']],
  ['凯特 莫斯Kate Moss', '英国', ['粉底液', ...LIP]],
  ['Rimmel芮谜', '英国', FULL],
  ['Charlotte Tilbury夏洛特', '英国', [...FULL, '定妆喷雾']],
  ['No7', '英国', FULL],
  ['Illamasqua', '英国', FULL],
  ['Sleek MakeUP', '英国', [...CHEEK, ...EYE, ...LIP]],
  ['Makeup Revolution', '英国', FULL],
  ['Real Techniques', '英国', ['化妆刷', '美妆蛋']],

  ['雅诗兰黛Estee Lauder', '美国', [...FULL, '卸妆']],
  ['倩碧Clinique', '美国', [...FULL, '卸妆']],
  ['芭比波朗Bobbi Brown', '美国', [...FULL, '化妆刷']],
  ['NARS', '美国', [...FULL, '气垫']],
  ['美宝莲Maybelline', '美国', [...FULL, 'BB霜', '卸妆']],
  ['露华浓Revlon', '美国', FULL],
  ['封面女郎CoverGirl', '美国', FULL],
  ['蜜丝佛陀Max Factor', '美国', FULL],
  ['贝玲妃Benefit', '美国', FULL],
  ['Too Faced', '美国', FULL],
  ['衰败城市Urban Decay', '美国', [...FULL, '定妆喷雾']],
  ['汤姆福特Tom Ford', '美国', FULL],
  ['罗拉玛斯亚Laura Mercier', '美国', FULL],
  ['e.l.f.', '美国', [...FULL, '化妆刷']],
  ['Smashbox', '美国', [...FULL, '定妆喷雾']],
  ['Anastasia Beverly Hills', '美国', [...BROW, ...EYE, ...CHEEK, ...LIP]],
  ['Stila诗狄娜', '美国', FULL],
  ['NYX', '美国', [...FULL, '定妆喷雾']],
  ['Hourglass', '美国', FULL],
  ['Fenty Beauty', '美国', FULL],
  ['Milani', '美国', FULL],
  ['Sigma Beauty', '美国', ['化妆刷', ...EYE]],
  ['Beautyblender', '美国', ['美妆蛋']],

  ['MAC魅可', '加拿大', [...FULL, '定妆喷雾', '化妆刷']],
  ['Cover FX', '加拿大', [...BASE, ...CHEEK, '定妆喷雾']],
  ['Annabelle', '加拿大', [...BASE, ...EYE, ...BROW, ...LIP]],

  ['资生堂Shiseido', '日本', [...FULL, '气垫', '卸妆']],
  ['植村秀Shu uemura', '日本', [...FULL, '卸妆', '化妆刷']],
  ['肌肤之钥Cle de Peau', '日本', [...BASE, ...CHEEK, ...EYE, ...LIP]],
  ['佳丽宝Kanebo', '日本', FULL],
  ['高丝Kose', '日本', [...FULL, '卸妆']],
  ['黛珂Cosme Decorte', '日本', [...BASE, ...CHEEK, ...EYE, ...LIP]],
  ['安娜苏Anna Sui', '日本', FULL],
  ['奥尔滨Albion', '日本', ['粉底液', '粉饼', '散粉', '妆前乳']],
  ['RMK', '日本', FULL],
  ['凯朵Kate', '日本', [...BASE, ...CHEEK, ...EYE, ...BROW, ...LIP]],
  ['心机彩妆Maquillage', '日本', FULL],
  ['井田Canmake', '日本', FULL],
  ['奇士美Kiss Me', '日本', [...EYE, ...BROW, ...LIP]],
  ['贝缔雅Addiction', '日本', [...BASE, ...CHEEK, ...EYE, ...LIP]],
  ['THREE', '日本', FULL],
  ['IPSA茵芙莎', '日本', [...BASE, ...CHEEK, ...EYE, ...LIP]],
  ['SUQQU', '日本', FULL],
  ['芳珂Fancl', '日本', ['卸妆']],
  ['DHC', '日本', ['卸妆', '粉底液', '隔离霜']],

  ['雪花秀Sulwhasoo', '韩国', [...BASE, '气垫', ...LIP]],
  ['兰芝Laneige', '韩国', [...BASE, '气垫', 'BB霜', ...LIP]],
  ['悦诗风吟Innisfree', '韩国', [...FULL, '气垫', 'BB霜', '卸妆']],
  ['爱丽小屋Etude House', '韩国', [...FULL, '气垫', 'BB霜']],
  ['梦妆Mamonde', '韩国', [...BASE, '气垫', ...LIP]],
  ['菲诗小铺The Face Shop', '韩国', [...FULL, '气垫', 'BB霜', '卸妆']],
  ['3CE', '韩国', FULL],
  ['赫拉Hera', '韩国', [...BASE, '气垫', ...EYE, ...LIP]],
  ['后Whoo', '韩国', [...BASE, '气垫', ...LIP]],
  ['谜尚Missha', '韩国', [...FULL, '气垫', 'BB霜']],
  ['珂莱欧Clio', '韩国', [...FULL, '气垫']],
  ['艾诺碧IOPE', '韩国', [...BASE, '气垫']],
  ['艾丝珀Espoir', '韩国', [...FULL, '气垫']],
  ['魔法森林Tony Moly', '韩国', [...FULL, 'BB霜']],
  ['VDL', '韩国', [...BASE, ...EYE, ...LIP]],

  ['Kiko Milano', '意大利', [...FULL, '化妆刷']],
  ['阿玛尼Giorgio Armani', '意大利', [...FULL, '气垫']],
  ['杜嘉班纳Dolce&Gabbana', '意大利', [...BASE, ...CHEEK, ...EYE, ...LIP]],
  ['Pupa', '意大利', FULL],
  ['Collistar', '意大利', FULL],
  ['Diego Dalla Palma', '意大利', FULL],
  ['古驰Gucci', '意大利', [...BASE, ...EYE, ...LIP]],

  ['Artdeco', '德国', FULL],
  ['Catrice', '德国', FULL],
  ['Essence', '德国', [...FULL, '化妆刷']],
  ['Manhattan', '德国', FULL],
  ['Kryolan', '德国', [...BASE, ...CHEEK, ...EYE, ...LIP, '定妆喷雾']],
  ['妮维雅Nivea', '德国', ['卸妆']],

  ['卡姿兰Carslan', '中国', [...FULL, '气垫']],
  ['玛丽黛佳Marie Dalgar', '中国', FULL],
  ['毛戈平MGPIN', '中国', FULL],
  ['完美日记Perfect Diary', '中国', FULL],
  ['花西子Florasis', '中国', FULL],
  ['自然堂Chando', '中国', [...BASE, 'BB霜', '气垫', ...LIP]],
  ['美康粉黛Mecompany', '中国', FULL],
  ['方里Funny Elves', '中国', BASE],

  ['Mistine', '泰国', [...FULL, '定妆喷雾']],

  ['Napoleon Perdis', '澳大利亚', FULL],
  ['ModelCo', '澳大利亚', [...FULL, '定妆喷雾']],
];

export class CosmeticsSeed1764504000000 implements MigrationInterface {
  name = 'CosmeticsSeed1764504000000';

  async up(db: QueryRunner): Promise<void> {
    // WITH ORDINALITY keeps the order given here: ids (and so the lists) follow it.
    await db.query(
      `INSERT INTO cosmetics_classes (name, position)
       SELECT name, position::integer FROM unnest($1::text[]) WITH ORDINALITY AS t(name, position)
       ORDER BY position`,
      [CLASSES],
    );
    await db.query(
      `INSERT INTO cosmetics_brands (name, country)
       SELECT name, country FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(name, country, position)
       ORDER BY position`,
      [BRANDS.map(([name]) => name), BRANDS.map(([, country]) => country)],
    );
    const links = BRANDS.flatMap(([brand, , classes]) =>
      [...new Set(classes)].map((className) => [className, brand] as const),
    );
    await db.query(
      `INSERT INTO cosmetics_class_brands (class_id, brand_id)
       SELECT c.id, b.id FROM unnest($1::text[], $2::text[]) AS l(class_name, brand_name)
         JOIN cosmetics_classes c ON c.name = l.class_name
         JOIN cosmetics_brands b ON b.name = l.brand_name`,
      [links.map(([c]) => c), links.map(([, b]) => b)],
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `TRUNCATE cosmetics_class_brands, artist_cosmetics_brands, artist_cosmetics_classes, cosmetics_brands,
                cosmetics_classes RESTART IDENTITY`,
    );
  }
}
