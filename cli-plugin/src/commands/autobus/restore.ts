import {Args, Flags} from '@oclif/core'
import {spawn} from 'node:child_process'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {AutobusCommand, AutobusError, configVars} from '../../lib/autobus.js'

/**
 * Restores by running the database's own tool here, fed straight from the snapshot's URL: it
 * works the same for Heroku Postgres, JawsDB and ClearDB (Heroku's pg:backups:restore covers
 * only Heroku Postgres), and nothing is written to disk on the way.
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
    const url = (await configVars(this.heroku, flags.app))[target]
    if (!url) throw new AutobusError(`${flags.app} has no ${target} config var.`)
    const response = await fetch(snapshot.download_url)
    if (!response.ok || !response.body) throw new AutobusError(`The snapshot could not be fetched (HTTP ${response.status}).`)
    const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream)
    await (snapshot.engine === 'postgresql' ? this.pgRestore(source, url) : this.mysqlRestore(source, url))
    this.log(`Restored snapshot ${snapshot.id} into ${target} of ${flags.app}.`)
  }

  private async pgRestore(source: Readable, url: string): Promise<void> {
    const child = spawn('pg_restore', ['--verbose', '--clean', '--if-exists', '--no-acl', '--no-owner', '--dbname', url],
      {stdio: ['pipe', 'inherit', 'inherit']})
    await Promise.all([pipeline(source, child.stdin), exited(child, 'pg_restore')])
  }

  private async mysqlRestore(source: Readable, value: string): Promise<void> {
    const url = new URL(value)
    const gunzip = spawn('gzip', ['-d', '-c'], {stdio: ['pipe', 'pipe', 'inherit']})
    const mysql = spawn('mysql', ['--protocol=TCP', '-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username),
      url.pathname.slice(1)], {stdio: ['pipe', 'inherit', 'inherit'], env: {...process.env, MYSQL_PWD: decodeURIComponent(url.password)}})
    gunzip.stdout.pipe(mysql.stdin)
    await Promise.all([pipeline(source, gunzip.stdin), exited(gunzip, 'gzip'), exited(mysql, 'mysql')])
  }
}

function exited(child: import('node:child_process').ChildProcess, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('error', error => reject(new AutobusError(`${name} could not be started (${error.message}); install the database's client tools.`)))
    child.on('close', code => (code === 0 ? resolve() : reject(new AutobusError(`${name} failed (exit ${code}); see its messages above.`))))
  })
}
