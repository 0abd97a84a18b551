import type { DataSource } from 'typeorm';

let phone = 13700000000 + Math.floor(Math.random() * 1_000_000) * 100;

/** A plain account straight in the table (the live suites test rooms, not sign-up); answers its id. */
export async function createLiveUser(db: DataSource, nickname = 'anchor'): Promise<string> {
  const rows = await db.query<Array<{ id: string }>>(
    `INSERT INTO users (phone, nickname) VALUES ($1, $2) RETURNING id`,
    [`+86${++phone}`, nickname],
  );
  return rows[0].id;
}

export interface RoomRow {
  id: string;
  status: string;
  title: string;
  streamKey: string;
  closeReason: string | null;
}

export async function roomsOf(db: DataSource, userId: string): Promise<RoomRow[]> {
  return db.query<RoomRow[]>(
    `SELECT id, status, title, stream_key AS "streamKey", close_reason AS "closeReason"
       FROM live_rooms WHERE user_id = $1 ORDER BY id`,
    [userId],
  );
}

/** nginx-rtmp's form for one notification, as it posts it (see ngx_rtmp_notify_module.c). */
export function nginxForm(call: string, name: string, key?: string, app = 'live'): string {
  const fields = [
    `app=${app}`,
    'flashver=FMLE/3.0%20(compatible%3B%20Lavf59.27',
    'swfurl=',
    `tcurl=rtmp://127.0.0.1:1935/${app}`,
    'pageurl=',
    'addr=127.0.0.1',
    'clientid=7',
    `call=${call}`,
    `name=${name}`,
  ];
  if (call === 'publish') fields.push('type=live');
  if (call.startsWith('update')) fields.push('time=30', 'timestamp=30000');
  if (key !== undefined) fields.push(`key=${key}`);
  return fields.join('&');
}

/** The members of the document's stream object (mrpyq `live=1`, Pili's stream JSON), sorted. */
export const STREAM_OBJECT_KEYS = [
  'createdAt',
  'disabled',
  'disabledTill',
  'expireAt',
  'hosts',
  'hub',
  'id',
  'nonce',
  'nropEnable',
  'publishKey',
  'publishSecurity',
  'publishUrl',
  'title',
  'updatedAt',
].sort();
