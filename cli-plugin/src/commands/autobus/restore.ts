import {Args, Flags} from '@oclif/core'
import {ChildProcess, spawn} from 'node:child_process'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {AutobusCommand, AutobusError, configVars, reason} from '../../lib/autobus.js'
import {printable} from '../../lib/printable.js'

/**
 * Restores by running the database's own tool here, fed straight from the snapshot's URL: it
 * works the same for Heroku Postgres, JawsDB and ClearDB (Heroku's pg:backups:restore covers
 * only Heroku Postgres), and nothing is written to disk on the way. Passwords travel in the
 * tools' environment (PGPASSWORD, MYSQL_PWD), never on their command line, where `ps` shows them.
 */
export default class Restore extends AutobusCommand {
  static description = 'restore a snapshot (the newest when no id is given) into one of the app\'s databases, overwriting it'
  static args = {id: Args.string({description: 'snapshot id'})}
  static flags = {
    database: Flags.string({description: 'config var of the database to overwrite (default: the snapshot\'s own)'}),
    confirm: Flags.string({description: 'the app\'s name, to confirm'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Restore)
    const snapshot = await (await this.autobus(flags.app)).snapshotOrNewest(args.id)
    if (!snapshot.download_url) throw new AutobusError(`Snapshot ${snapshot.id} is ${snapshot.status}: there is nothing to restore.`)
    const target = flags.database ?? snapshot.database
    this.warn(`This overwrites ${target} of ${flags.app} with snapshot ${snapshot.id} (${snapshot.kind}, ${snapshot.created_at}). Data written since is lost.`)
    if (flags.confirm !== flags.app) throw new AutobusError(`To proceed, run the command again with: --confirm ${flags.app}`)
    const value = (await configVars(this.heroku, flags.app))[target]
    if (!value) throw new AutobusError(`${flags.app} has no ${target} config var.`)
    const url = databaseUrl(value, target)
    const postgres = snapshot.engine === 'postgresql'
    if (postgres !== /^postgres(ql)?:$/.test(url.protocol)) {
      const kind = postgres ? 'PostgreSQL' : 'MySQL'
      throw new AutobusError(`Snapshot ${snapshot.id} holds a ${kind} dump, and ${target} is not a ${kind} database.`)
    }
    const response = await fetch(snapshot.download_url)
    if (!response.ok || !response.body) throw new AutobusError(`The snapshot could not be fetched (HTTP ${response.status}).`)
    const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream)
    await (postgres ? pgRestore(source, url) : mysqlRestore(source, url))
    this.log(`Restored snapshot ${snapshot.id} into ${target} of ${flags.app}.`)
  }
}

/** download → pg_restore, connecting with the URL stripped of its password. */
async function pgRestore(source: Readable, url: URL): Promise<void> {
  const password = decodeURIComponent(url.password) || url.searchParams.get('password') || undefined
  const dbname = new URL(url)
  dbname.password = ''
  if (dbname.searchParams.has('password')) dbname.searchParams.delete('password')
  const pg = tool('pg_restore', ['--verbose', '--clean', '--if-exists', '--no-acl', '--no-owner', '--dbname', dbname.toString()],
    password === undefined ? {} : {PGPASSWORD: password})
  await settle([step('download', pipeline(source, pg.child.stdin!)), pg.exited])
}

/** download → gzip -d → mysql, the password in MYSQL_PWD. */
async function mysqlRestore(source: Readable, url: URL): Promise<void> {
  const gzip = tool('gzip', ['-d', '-c'], {}, true)
  const mysql = tool('mysql', ['--protocol=TCP', '-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username),
    `--database=${decodeURIComponent(url.pathname.slice(1))}`], url.password ? {MYSQL_PWD: decodeURIComponent(url.password)} : {})
  await settle([
    step('download', pipeline(source, gzip.child.stdin!)),
    step('gzip to mysql', pipeline(gzip.child.stdout!, mysql.child.stdin!)),
    gzip.exited,
    mysql.exited,
  ])
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
