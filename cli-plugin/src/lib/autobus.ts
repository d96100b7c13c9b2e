import {APIClient, Command, flags} from '@heroku-cli/command'
import {format} from 'node:util'
import {printable, printableJson} from './printable.js'

/** A failure worth showing the user as is. */
export class AutobusError extends Error {}

export interface Snapshot {
  id: string
  kind: string
  created_at: string
  status: string
  database: string
  description: string | null
  size: number | null
  verification: Verification | null
  engine?: string
  server_version?: string | null
  file_name?: string | null
  sha256?: string | null
  finished_at?: string | null
  duration_ms?: number | null
  error?: string | null
  partial?: string | null
  dump_tool?: string | null
  restore_with?: string | null
  /** The age public key the file is encrypted to (the customer's own key); null when it is not. */
  encrypted_to?: string | null
  /** The command that restores the downloaded file (host, user and database to fill in). */
  restore_command?: string | null
  download_url?: string
  progress?: Progress | null
  statistics?: {
    database_size: number | null
    tables: {name: string; rows: number; rows_exact: boolean; rows_change: number | null; size: number}[]
  }
  /** The app's release current when the dump started; null when unknown. */
  release?: Release | null
}

/** A release of the app, as Heroku numbers it (v143). */
export interface Release {
  version: number
  commit: string | null
  description: string | null
  created_at: string
}

/** Which snapshots GET /api/snapshots lists; a release is written 143 or v143. */
export interface SnapshotFilter {
  /** Only those taken under this release. */
  release?: string
  /** Only those taken under an earlier release, newest first. */
  beforeRelease?: string
}

/** Null until a verification starts. */
export interface Verification {
  status: 'running' | 'verified' | 'failed' | 'unverifiable'
  detail: string | null
  server_version: string | null
  verified_at: string | null
  duration_ms: number | null
}

/** How far a running snapshot or restore is; null unless it runs. */
export interface Progress {
  /** Data bytes the dump (or the restore) has passed so far (uncompressed, not the file's size). */
  bytes: number
  /** 0-99 of the data expected; null while the expected size is not known. */
  percent: number | null
  /** Seconds still to go at the rate so far; null while unknown. */
  eta_seconds: number | null
  /** The table being dumped (or restored), e.g. public.orders. */
  table: string | null
}

/** What check_snapshot answers about a capture's job. */
export interface Check {
  /** The job has ended, successfully or not: status says which. */
  completed: boolean
  snapshot_id: string
  status: 'pending' | 'running' | 'completed' | 'failed'
  /** Why it failed (only when status is failed). */
  error?: string
  progress?: Progress | null
}

/** A table in a snapshot, as GET /api/snapshots/{id}/tables lists it. */
export interface SnapshotTable {
  /** e.g. public.orders (PostgreSQL) or orders (MySQL). */
  name: string
  rows: number
  /** False when `rows` is the database's estimate rather than a count. */
  rows_exact: boolean
  /** Bytes the table takes in the database. */
  size: number
}

/** What the CLI asks Autobus to restore (POST /api/snapshots/{id}/restores). */
export interface RestoreRequest {
  /** Config var of the database to restore into. */
  target: string
  /** Left out for the whole snapshot. */
  tables?: string[]
  /** With tables only: beside the live data (alongside), or dropping and recreating them (replace). */
  mode?: 'alongside' | 'replace'
  /** The app's name; required for a whole or a replace restore. */
  confirm?: string
  /** Whether Autobus first takes a snapshot of the target to go back to (whole and replace restores). */
  snapshot_first: boolean
}

/** A restore Autobus runs, as GET /api/restores/{id} answers. */
export interface RestoreRun {
  restore_id: string
  snapshot_id: string
  target: string
  mode: 'whole' | 'alongside' | 'replace'
  status: 'pending' | 'running' | 'completed' | 'failed'
  progress: Progress | null
  /** Rows restored so far (all of them once completed) against the rows the snapshot holds. */
  tables: {name: string; rows: number | null; expected_rows: number | null}[]
  error: string | null
  /** The snapshot of the target taken before the restore touched it. */
  safety_snapshot_id: string | null
  /** Where an alongside restore put the tables, e.g. schema restored_<snapshot id>. */
  restored_into: string | null
  created_at: string
  finished_at: string | null
}

export interface Settings {
  backup_hour: number
  backup_minute: number
  time_zone: string
  weekly_day: string
  monthly: boolean
  /** The age public key later snapshots are encrypted to; null (or absent, from an older service) when they are not. */
  encryption_recipient?: string | null
  databases: {database: string; engine: string; exclude_tables: string[]; exclude_table_data: string[]}[]
}

/**
 * Talks to the Autobus API with the add-on's own key, found in the app's AUTOBUS_URL config var.
 * Plain fetch, never the Heroku client: the user's Heroku token must never reach Autobus.
 * Every string in an answer, and in an error, is made `printable` here, before any command sees it.
 */
/** One of the add-on's databases (GET /api/databases). */
export interface Database {
  database: string
  engine: string
  host: string
  port: number
  name: string
  source: 'config_var' | 'attached'
  covered: boolean
  not_covered_reason: string | null
  server?: string
  dump_tool?: string
}

export class AutobusClient {
  private readonly origin: string
  private readonly authorization: string

  constructor(autobusUrl: URL) {
    this.origin = `${autobusUrl.protocol}//${autobusUrl.host}`
    const key = decodeURIComponent(autobusUrl.password)
    this.authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(autobusUrl.username) || 'addon'}:${key}`).toString('base64')
  }

  snapshots(filter: SnapshotFilter = {}): Promise<Snapshot[]> {
    const query = new URLSearchParams()
    if (filter.release !== undefined) query.set('release', releaseNumber(filter.release, '--release'))
    if (filter.beforeRelease !== undefined) query.set('before_release', releaseNumber(filter.beforeRelease, '--before-release'))
    return this.request('GET', `/api/snapshots${query.size > 0 ? `?${query}` : ''}`)
  }

  snapshot(id: string): Promise<Snapshot> {
    return this.request('GET', `/api/snapshots/${encodeURIComponent(id)}`)
  }

  /** The given snapshot, or the newest completed one. */
  async snapshotOrNewest(id?: string): Promise<Snapshot> {
    return this.snapshot(id || await this.newestId())
  }

  /**
   * The snapshot a command was given: by id, or the newest completed one from before a release
   * (the one to go back to when that release went wrong), or else the newest completed one.
   * Given one of id and beforeRelease at most (see oneChoice).
   */
  async chosen(id: string | undefined, beforeRelease: string | undefined): Promise<Snapshot> {
    if (beforeRelease === undefined) return this.snapshotOrNewest(id)
    const query = new URLSearchParams({status: 'completed', before_release: releaseNumber(beforeRelease, '--before-release'), limit: '1'})
    const [newest] = await this.request<Snapshot[]>('GET', `/api/snapshots?${query}`)
    if (!newest) {
      throw new AutobusError(`No snapshot was taken before ${releaseName(beforeRelease)}. Only completed snapshots count; `
        + `heroku autobus:snapshots --before-release ${releaseName(beforeRelease)} lists them all.`)
    }
    return this.snapshot(newest.id)
  }

  /** The id of the newest completed snapshot. */
  async newestId(): Promise<string> {
    const [newest] = await this.request<Snapshot[]>('GET', '/api/snapshots?status=completed&limit=1')
    if (!newest) throw new AutobusError('There is no completed snapshot yet. Take one with: heroku autobus:capture')
    return newest.id
  }

  tables(id: string): Promise<SnapshotTable[]> {
    return this.request('GET', `/api/snapshots/${encodeURIComponent(id)}/tables`)
  }

  restore(id: string, request: RestoreRequest): Promise<{restore_id: string; message: string}> {
    return this.request('POST', `/api/snapshots/${encodeURIComponent(id)}/restores`, request)
  }

  restoreRun(restoreId: string): Promise<RestoreRun> {
    return this.request('GET', `/api/restores/${encodeURIComponent(restoreId)}`)
  }

  capture(database?: string, description?: string): Promise<{message: string; jid: string; snapshot_id: string}> {
    return this.request('POST', '/api/snapshots', {database, description})
  }

  check(jid: string): Promise<Check> {
    return this.request('GET', `/api/snapshots/check_snapshot?jid=${encodeURIComponent(jid)}`)
  }

  remove(id: string): Promise<{message: string}> {
    return this.request('DELETE', `/api/snapshots/${encodeURIComponent(id)}`)
  }

  settings(): Promise<Settings> {
    return this.request('GET', '/api/settings')
  }

  changeSettings(change: Record<string, unknown>): Promise<Settings> {
    return this.request('PATCH', '/api/settings', change)
  }

  /** Encrypts later snapshots to the customer's age public key; null stops it. */
  encryptTo(recipient: string | null): Promise<Settings> {
    return this.request('PUT', '/api/settings/encryption', {recipient})
  }

  databases(): Promise<Database[]> {
    return this.request('GET', '/api/databases')
  }

  attach(name: string, url: string, replace: boolean): Promise<Database> {
    return this.request('POST', '/api/databases', {name, url, replace})
  }

  detach(name: string): Promise<{message: string}> {
    return this.request('DELETE', `/api/databases/${encodeURIComponent(name)}`)
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response
    try {
      response = await fetch(this.origin + path, {
        method,
        headers: {Authorization: this.authorization, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'heroku-autobus'},
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (error) {
      const cause = (error as {cause?: {message?: string}}).cause?.message ?? (error as Error).message
      throw new AutobusError(`Autobus could not be reached at ${this.origin} (${printable(cause)}). Try again in a moment.`)
    }
    const text = await response.text()
    let json: unknown = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = null
    }
    if (!response.ok) {
      const message = printable((json as {message?: unknown} | null)?.message ?? text).slice(0, 500)
      throw new AutobusError(response.status === 404 ? message : `Autobus answered ${response.status}: ${message}`)
    }
    return printableJson(json) as T
  }
}

/** A snapshot is chosen by id or by --before-release, never both; checked before anything is asked of Heroku or Autobus. */
export function oneChoice(id: string | undefined, beforeRelease: string | undefined): void {
  if (id && beforeRelease !== undefined) throw new AutobusError(`Give a snapshot id or --before-release ${releaseName(beforeRelease)}, not both.`)
}

/** A release as Autobus takes it: 143 for 143 or v143; anything else as given, for Autobus to refuse with its own words. */
export function releaseNumber(value: string, flag: string): string {
  const text = value.trim()
  if (text === '') throw new AutobusError(`${flag} takes a release, e.g. v143.`)
  return /^v\d+$/i.test(text) ? text.slice(1) : text
}

/** A release as people read it: v143. */
export function releaseName(value: string): string {
  const text = value.trim()
  return /^\d+$/.test(text) ? `v${text}` : /^v\d+$/i.test(text) ? `v${text.slice(1)}` : text
}

/** v143 and the short commit when known (v143 abc1234); empty when the release is unknown. */
export function releaseLabel(release: Release | null | undefined): string {
  if (!release) return ''
  return release.commit ? `v${release.version} ${release.commit.slice(0, 7)}` : `v${release.version}`
}

/** An error's message with its cause, e.g. fetch's "terminated (other side closed)". */
export function reason(error: unknown): string {
  const {message, cause} = error as {message?: string; cause?: {message?: string}}
  return printable(cause?.message ? `${message} (${cause.message})` : message ?? String(error))
}

/** The app's config vars, read with the user's own Heroku credentials. */
export async function configVars(heroku: APIClient, app: string): Promise<Record<string, string>> {
  const {body} = await heroku.get<Record<string, string>>(`/apps/${encodeURIComponent(app)}/config-vars`)
  return body
}

/** Every autobus:* command: an app, and a client for that app's Autobus add-on. */
export abstract class AutobusCommand extends Command {
  static baseFlags = {
    app: flags.app({required: true}),
    remote: flags.remote(),
  }

  protected async autobus(app: string): Promise<AutobusClient> {
    const value = (await configVars(this.heroku, app)).AUTOBUS_URL
    if (!value) {
      throw new AutobusError(`${app} has no Autobus add-on (no AUTOBUS_URL config var). Add one with: heroku addons:create autobus -a ${app}`)
    }
    return new AutobusClient(new URL(value))
  }

  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof AutobusError) this.error(printable(error.message, {lines: true}), {exit: 1})
    return super.catch(error)
  }

  /** Everything printed goes through `printable` once more (line breaks kept): Heroku's answers too. */
  log(message = '', ...args: unknown[]): void {
    super.log(printable(args.length > 0 ? format(message, ...args) : message, {lines: true}))
  }

  warn(input: string | Error): string | Error {
    return super.warn(typeof input === 'string' ? printable(input, {lines: true}) : new Error(printable(input.message, {lines: true})))
  }
}

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return ''
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let amount = value
  let unit = 0
  while (Math.abs(amount) >= 1000 && unit < units.length - 1) {
    amount /= 1000
    unit++
  }
  return unit === 0 ? `${amount} B` : `${amount.toFixed(1)} ${units[unit]}`
}

/** A time, as precise as it is worth: 1.2 s, 45 s, 3 min 20 s, 2 h 5 min. */
export function seconds(value: number): string {
  if (value < 10 && !Number.isInteger(value)) return `${value.toFixed(1)} s`
  const whole = Math.round(value)
  if (whole < 60) return `${whole} s`
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`
}

/** Columns padded to their widest cell. */
export function table(rows: Record<string, string>[], columns: string[]): string {
  const widths = columns.map(column => Math.max(column.length, ...rows.map(row => (row[column] ?? '').length)))
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()
  return [line(columns), line(widths.map(width => '─'.repeat(width))), ...rows.map(row => line(columns.map(c => row[c] ?? '')))].join('\n')
}
