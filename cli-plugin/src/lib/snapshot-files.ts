import type {Snapshot} from './autobus.js'

/** `<config var without _URL>_<24 hex id>.<extension>`, as the service names snapshot files (SnapshotKeys). */
const FILE_NAME = /^[A-Z][A-Z0-9_]*_([0-9a-f]{24})\.(dump|sql\.gz|dump\.age|sql\.gz\.age)$/

/** The extension of an engine's dumps, by the service's own rule: `pg_dump -Fc` or gzipped SQL. */
export function extension(engine: string | undefined): string {
  return engine === 'postgresql' ? 'dump' : 'sql.gz'
}

/**
 * The name a download is saved under when no --output is given: a bare file name, never a path.
 * The base name of the snapshot's `file_name` when it has the service's form, this snapshot's
 * id and its engine's extension (with `.age` when it is encrypted to the customer's key);
 * otherwise the snapshot id and that extension.
 */
export function localFileName(snapshot: Pick<Snapshot, 'id' | 'engine' | 'file_name' | 'encrypted_to'>): string {
  const wanted = extension(snapshot.engine) + (snapshot.encrypted_to ? '.age' : '')
  const base = (snapshot.file_name ?? '').split(/[/\\]/).pop() ?? ''
  const match = FILE_NAME.exec(base)
  if (match && match[1] === snapshot.id && match[2] === wanted) return base
  const id = /^[A-Za-z0-9_-]{1,64}$/.test(snapshot.id) ? snapshot.id : 'snapshot'
  return `${id}.${wanted}`
}
