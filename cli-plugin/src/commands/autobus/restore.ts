import {Args, Flags} from '@oclif/core'
import {ChildProcess, spawn} from 'node:child_process'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {AutobusClient, AutobusCommand, AutobusError, configVars, oneChoice, reason, RestoreRequest, RestoreRun, Snapshot, table} from '../../lib/autobus.js'
import {printable} from '../../lib/printable.js'
import {follow, runProgress} from '../../lib/run-progress.js'

/**
 * Restores a snapshot into one of the app's databases. By default Autobus does it, from its copy
 * of the snapshot: the whole snapshot, or some tables beside the live data (alongside) or in their
 * place (--replace), after a snapshot of the target to go back to; the command follows it with a
 * progress bar and prints each table's rows. --local restores the whole snapshot from this
 * machine instead, as the plugin always did (see restoreLocally).
 */
export default class Restore extends AutobusCommand {
  static description = 'restore a snapshot (the newest when no id is given, or the newest from before --before-release): whole, overwriting a database, or some tables, '
    + 'beside the live data or in their place; Autobus runs it, or this machine with --local'
  static examples = [
    '$ heroku autobus:restore -a sushi --confirm sushi                                    # the newest snapshot, whole, into its own database',
    '$ heroku autobus:restore 5ac7bb45772c9005be448fbe -a sushi --table public.orders     # beside the live data',
    '$ heroku autobus:restore -a sushi --table public.orders --replace --confirm sushi    # in place of the live table',
    '$ heroku autobus:restore -a sushi --to STAGING_DATABASE_URL --local --confirm sushi  # with pg_restore or mysql here',
    '$ heroku autobus:restore -a sushi --before-release v143 --confirm sushi              # the data as it was before v143',
  ]

  static args = {id: Args.string({description: 'snapshot id'})}
  static flags = {
    'before-release': Flags.string({description: 'the newest completed snapshot taken before this release, e.g. v143 (or 143), instead of an id'}),
    to: Flags.string({description: 'config var of the database to restore into (default: the snapshot\'s own)'}),
    database: Flags.string({description: 'the former name of --to', hidden: true, exclusive: ['to']}),
    table: Flags.string({description: 'a table to restore, e.g. public.orders; repeat for more (default: the whole snapshot)',
      multiple: true, multipleNonGreedy: true}),
    replace: Flags.boolean({description: 'drop the --table tables and recreate them from the snapshot (default: restore them beside the live data)'}),
    confirm: Flags.string({description: 'the app\'s name, to confirm a whole or a --replace restore'}),
    'snapshot-first': Flags.boolean({description: 'take a snapshot of the target first, to go back to (whole and --replace restores)',
      default: true, allowNo: true}),
    local: Flags.boolean({description: 'restore the whole snapshot from this machine with pg_restore or mysql (no snapshot first)'}),
    identity: Flags.string({description: 'with --local: your age identity file (key.txt) for a snapshot encrypted with your own key; it stays on this machine',
      dependsOn: ['local']}),
    interval: Flags.integer({description: 'seconds between checks while waiting', default: 2, hidden: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Restore)
    const tables = [...new Set<string>(flags.table ?? [])]
    if (flags.local && tables.length > 0) {
      throw new AutobusError('--local restores the whole snapshot only. To restore some tables, leave out --local: Autobus restores them.')
    }
    oneChoice(args.id, flags['before-release'])
    const autobus = await this.autobus(flags.app)
    const snapshot = await autobus.chosen(args.id, flags['before-release'])
    if (!snapshot.download_url) throw new AutobusError(`Snapshot ${snapshot.id} is ${snapshot.status}: there is nothing to restore.`)
    if (snapshot.encrypted_to && !(flags.local && flags.identity)) throw new AutobusError(encrypted(snapshot, flags.local))
    const request: RestoreRequest = {target: flags.to ?? flags.database ?? snapshot.database, snapshot_first: flags['snapshot-first'] && !flags.local}
    if (tables.length > 0) {
      request.tables = tables
      request.mode = flags.replace ? 'replace' : 'alongside'
    }
    if (flags.confirm !== undefined) request.confirm = flags.confirm
    this.confirmed(snapshot, request, flags.app)
    if (flags.local) return this.restoreLocally(snapshot, request.target, flags.app, snapshot.encrypted_to ? flags.identity : undefined)
    return this.restoreByAutobus(autobus, snapshot.id, request, flags.app, flags.interval)
  }

  /** Asks Autobus to restore, follows the restore with a progress bar, then says what it did, or why it failed. */
  private async restoreByAutobus(autobus: AutobusClient, snapshotId: string, request: RestoreRequest, app: string, interval: number): Promise<void> {
    const {restore_id: id} = await autobus.restore(snapshotId, request)
    const pause = () => new Promise(resolve => setTimeout(resolve, interval * 1000))
    const progress = runProgress(`Restoring snapshot ${snapshotId} into ${request.target} of ${app}`, line => this.logToStderr(line),
      'of the snapshot read')
    const run = await follow(progress, () => autobus.restoreRun(id),
      answer => (answer.status === 'failed' ? 'failed' : answer.status === 'completed' ? 'done' : null), pause)
    if (run.status === 'failed') {
      const back = run.safety_snapshot_id ? `\nSnapshot ${run.safety_snapshot_id} holds ${run.target} as it was before.` : ''
      throw new AutobusError(`The restore failed: ${run.error ?? 'no reason given'}${back}`)
    }
    this.log(report(run, app))
    const differing = run.tables.filter(t => typeof t.rows === 'number' && typeof t.expected_rows === 'number' && t.rows !== t.expected_rows)
    if (differing.length > 0) {
      this.warn(`The rows restored differ from the snapshot's for: ${differing.map(t => `${t.name} (${t.rows} of ${t.expected_rows})`).join(', ')}`)
    }
  }

  /** A restore that overwrites live data (the whole database, or tables in --replace) says so, and goes on only with --confirm <app>. */
  private confirmed(snapshot: Snapshot, request: RestoreRequest, app: string): void {
    const taken = `snapshot ${snapshot.id} (${snapshot.kind}, ${snapshot.created_at})`
    const first = request.snapshot_first ? ' Autobus takes a snapshot of it first, to go back to.' : ''
    if (request.mode === 'alongside') return
    if (request.mode === 'replace') {
      this.warn(`This drops ${request.tables!.join(', ')} in ${request.target} of ${app} and recreates them from ${taken}. `
        + `Their rows written since are lost.${first}`)
    } else {
      this.warn(`This overwrites ${request.target} of ${app} with ${taken}. Data written since is lost.${first}`)
    }
    if (request.confirm !== app) throw new AutobusError(`To proceed, run the command again with: --confirm ${app}`)
  }

  /**
   * Restores by running the database's own tool here, fed straight from the snapshot's URL: it
   * works the same for Heroku Postgres, JawsDB and ClearDB (Heroku's pg:backups:restore covers
   * only Heroku Postgres), and nothing is written to disk on the way. Passwords travel in the
   * tools' environment (PGPASSWORD, MYSQL_PWD), never on their command line, where `ps` shows them.
   * A snapshot encrypted with the customer's own key goes through `age -d -i <identity>` first.
   */
  private async restoreLocally(snapshot: Snapshot, target: string, app: string, identity?: string): Promise<void> {
    const value = (await configVars(this.heroku, app))[target]
    if (!value) throw new AutobusError(`${app} has no ${target} config var.`)
    const url = databaseUrl(value, target)
    const postgres = snapshot.engine === 'postgresql'
    if (postgres !== /^postgres(ql)?:$/.test(url.protocol)) {
      const kind = postgres ? 'PostgreSQL' : 'MySQL'
      throw new AutobusError(`Snapshot ${snapshot.id} holds a ${kind} dump, and ${target} is not a ${kind} database.`)
    }
    const response = await fetch(snapshot.download_url!)
    if (!response.ok || !response.body) throw new AutobusError(`The snapshot could not be fetched (HTTP ${response.status}).`)
    const download = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream)
    const source: Source = identity === undefined ? {output: download, stages: [], from: 'download'} : ageDecrypt(download, identity)
    await settle([...source.stages, ...(postgres ? pgRestore(source.output, url, source.from) : mysqlRestore(source.output, url, source.from))])
    this.log(`Restored snapshot ${snapshot.id} into ${target} of ${app}.`)
  }
}

/** What a completed restore did: where it put what, the snapshot to go back to, and each table's rows against the snapshot's. */
function report(run: RestoreRun, app: string): string {
  const what = run.mode === 'whole' ? 'the whole of' : `${run.tables.length} ${run.tables.length === 1 ? 'table' : 'tables'} of`
  const how = run.mode === 'alongside' ? ', beside the live data' : run.mode === 'replace' ? ', in place of the live tables' : ''
  const lines = [`Restored ${what} snapshot ${run.snapshot_id} into ${run.target} of ${app}${how}.`]
  if (run.restored_into) lines.push(`Restored into:   ${run.restored_into}`)
  if (run.safety_snapshot_id) lines.push(`Safety snapshot: ${run.safety_snapshot_id} (${run.target} as it was before)`)
  if (run.tables.length > 0) {
    lines.push('', table(run.tables.map(t => ({Table: t.name, Rows: count(t.rows), Expected: count(t.expected_rows)})), ['Table', 'Rows', 'Expected']))
  }
  return lines.join('\n')
}

function count(value: number | null | undefined): string {
  return typeof value === 'number' ? String(value) : ''
}

/** What a restore reads: the download, or age's output; the stages that produce it; the name of the last one. */
interface Source {
  output: Readable
  stages: Promise<void>[]
  from: string
}

function encrypted(snapshot: Snapshot, local: boolean): string {
  const yourself = snapshot.restore_command ? `, or yourself: download it (heroku autobus:download) and run ${snapshot.restore_command}` : ''
  return local
    ? `Snapshot ${snapshot.id} is encrypted with your own key (${snapshot.encrypted_to}). Add --identity key.txt, your age identity`
      + ` (age must be installed here), to decrypt it on the way${yourself}.`
    : `Snapshot ${snapshot.id} is encrypted with your own key (${snapshot.encrypted_to}); Autobus cannot read it, so it cannot restore it.`
      + ` Restore it from this machine with --local --identity key.txt${yourself}.`
}

/** download → age -d -i <identity>: the private key stays in its file on this machine. */
function ageDecrypt(download: Readable, identity: string): Source {
  const age = tool('age', ['-d', '-i', identity], {}, true)
  return {output: age.child.stdout as Readable, stages: [step('download', pipeline(download, age.child.stdin!)), age.exited], from: 'age'}
}

/** download (or age) → pg_restore, connecting with the URL stripped of its password. */
function pgRestore(source: Readable, url: URL, from: string): Promise<void>[] {
  const password = decodeURIComponent(url.password) || url.searchParams.get('password') || undefined
  const dbname = new URL(url)
  dbname.password = ''
  if (dbname.searchParams.has('password')) dbname.searchParams.delete('password')
  const pg = tool('pg_restore', ['--verbose', '--clean', '--if-exists', '--no-acl', '--no-owner', '--dbname', dbname.toString()],
    password === undefined ? {} : {PGPASSWORD: password})
  return [step(from === 'download' ? 'download' : `${from} to pg_restore`, pipeline(source, pg.child.stdin!)), pg.exited]
}

/** download (or age) → gzip -d → mysql, the password in MYSQL_PWD. */
function mysqlRestore(source: Readable, url: URL, from: string): Promise<void>[] {
  const gzip = tool('gzip', ['-d', '-c'], {}, true)
  const mysql = tool('mysql', ['--protocol=TCP', '-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username),
    `--database=${decodeURIComponent(url.pathname.slice(1))}`], url.password ? {MYSQL_PWD: decodeURIComponent(url.password)} : {})
  return [
    step(from === 'download' ? 'download' : `${from} to gzip`, pipeline(source, gzip.child.stdin!)),
    step('gzip to mysql', pipeline(gzip.child.stdout!, mysql.child.stdin!)),
    gzip.exited,
    mysql.exited,
  ]
}

function databaseUrl(value: string, name: string): URL {
  try {
    return new URL(value)
  } catch {
    throw new AutobusError(`${name} is not a database URL.`)
  }
}

/** A stage of the pipe that failed, by name; a broken pipe is only a consequence of another failure. */
class StageFailure extends Error {
  constructor(readonly stage: string, message: string, readonly brokenPipe = false) {
    super(`${stage}: ${message}`)
  }
}

function step(stage: string, work: Promise<void>): Promise<void> {
  return work.catch((error: NodeJS.ErrnoException) => {
    const brokenPipe = ['EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED'].includes(error.code ?? '')
    throw new StageFailure(stage, reason(error), brokenPipe)
  })
}

/** Waits for every stage, then reports each one that failed, not only the first or the last. */
async function settle(stages: Promise<void>[]): Promise<void> {
  const failures = (await Promise.allSettled(stages))
    .flatMap(result => (result.status === 'rejected' ? [result.reason as Error] : []))
  const real = failures.filter(failure => !(failure instanceof StageFailure && failure.brokenPipe))
  const shown = real.length > 0 ? real : failures
  if (shown.length > 0) throw new AutobusError(`The restore failed:\n${shown.map(failure => `  ${failure.message}`).join('\n')}`)
}

/**
 * Starts a database tool with extra environment. Its messages (which name the dump's tables)
 * reach the terminal through `printable`, and the last ones travel with its failure.
 */
function tool(name: string, args: string[], env: Record<string, string>, pipeStdout = false): {child: ChildProcess; exited: Promise<void>} {
  const child = spawn(name, args, {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, ...env}})
  const messages: string[] = []
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    const clean = printable(text, {lines: true})
    process.stderr.write(clean)
    messages.push(...clean.split('\n').map(line => line.trim()).filter(Boolean))
    messages.splice(0, Math.max(0, messages.length - 200))
  })
  if (!pipeStdout) child.stdout!.setEncoding('utf8').on('data', (text: string) => process.stdout.write(printable(text, {lines: true})))
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', error => reject(new StageFailure(name, `could not be started (${error.message}); install the database's client tools.`)))
    child.on('close', (code, signal) => {
      if (code === 0) return resolve()
      const errors = messages.filter(line => /\b(error|fatal)\b/i.test(line))
      const said = (errors.length > 0 ? errors.slice(0, 3) : messages.slice(-3)).join(' / ')
      reject(new StageFailure(name, `failed (${signal ?? `exit ${code}`})${said ? `: ${said}` : ''}`))
    })
  })
  return {child, exited}
}
