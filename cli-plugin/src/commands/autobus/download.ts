import {Args, Flags} from '@oclif/core'
import {SingleBar} from 'cli-progress'
import {createHash, randomBytes} from 'node:crypto'
import {createWriteStream, rmSync} from 'node:fs'
import {link, lstat, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {Readable, Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {AutobusCommand, AutobusError, oneChoice, reason} from '../../lib/autobus.js'
import {localFileName} from '../../lib/snapshot-files.js'

/**
 * Saves a snapshot's file. The name the API suggests is only ever a bare name in the current
 * directory (see localFileName); the bytes go to a temporary file beside the target, which is
 * renamed into place only once complete and matching the snapshot's SHA-256.
 */
export default class Download extends AutobusCommand {
  static description = 'download a snapshot (the newest when no id is given, or the newest from before --before-release) and check its SHA-256'
  static examples = [
    '$ heroku autobus:download -a sushi                     # ./DATABASE_<id>.dump',
    '$ heroku autobus:download 5ac7bb45772c9005be448fbe -a sushi -o backups/',
    '$ heroku autobus:download -a sushi --before-release v143',
  ]

  static args = {id: Args.string({description: 'snapshot id'})}
  static flags = {
    'before-release': Flags.string({description: 'the newest completed snapshot taken before this release, e.g. v143 (or 143), instead of an id'}),
    output: Flags.string({char: 'o', description: 'file (or existing directory) to write; default: the snapshot\'s file name in the current directory'}),
    force: Flags.boolean({char: 'f', description: 'overwrite the file if it exists'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Download)
    oneChoice(args.id, flags['before-release'])
    const snapshot = await (await this.autobus(flags.app)).chosen(args.id, flags['before-release'])
    if (!snapshot.download_url) throw new AutobusError(`Snapshot ${snapshot.id} is ${snapshot.status}: there is no file to download.`)
    const file = await target(flags.output, localFileName(snapshot))
    if (!flags.force && await exists(file)) {
      throw new AutobusError(`${file} already exists. Add --force to overwrite it, or choose another name with --output.`)
    }
    const expected = /^[0-9a-f]{64}$/i.test(snapshot.sha256 ?? '') ? snapshot.sha256!.toLowerCase() : undefined
    const response = await fetch(snapshot.download_url)
    if (!response.ok || !response.body) throw new AutobusError(`The download was refused (HTTP ${response.status}). Try again.`)

    const partial = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.part`)
    const interrupted = () => {
      rmSync(partial, {force: true})
      process.exit(130)
    }
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted)
    const total = Number(response.headers.get('content-length') ?? snapshot.size ?? 0)
    const bar = new SingleBar({format: 'Downloading {bar} {percentage}% | {value}/{total} bytes', stream: process.stderr, noTTYOutput: false})
    bar.start(total, 0)
    const hash = createHash('sha256')
    let received = 0
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk)
        received += chunk.length
        bar.update(received)
        done(null, chunk)
      },
    })
    try {
      // wx: a new file, never through an existing one or a symlink; 0600: a dump is private data.
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), measure,
        createWriteStream(partial, {flags: 'wx', mode: 0o600}))
      const sha256 = hash.digest('hex')
      if (expected && sha256 !== expected) {
        throw new AutobusError(`The downloaded file does not match the snapshot (SHA-256 ${sha256}, expected ${expected}); nothing was saved. Try again.`)
      }
      await place(partial, file, flags.force)
    } catch (error) {
      await rm(partial, {force: true})
      if (error instanceof AutobusError) throw error
      throw new AutobusError(`The download of snapshot ${snapshot.id} failed (${reason(error)}); nothing was saved. Try again.`)
    } finally {
      bar.stop()
      process.off('SIGINT', interrupted).off('SIGTERM', interrupted)
    }
    if (expected) {
      this.log(`Downloaded ${snapshot.id} to ${file} (${received} bytes, SHA-256 verified).`)
    } else {
      this.warn(`Autobus sent no SHA-256 for snapshot ${snapshot.id}, so the file could not be checked: it may be incomplete or altered.`)
      this.log(`Downloaded ${snapshot.id} to ${file} (${received} bytes, SHA-256 NOT checked).`)
    }
    if (snapshot.encrypted_to) {
      this.log(`It is encrypted with your own key (${snapshot.encrypted_to}): decrypt it with your private key, e.g. age -d -i key.txt ${file}`)
      if (snapshot.restore_command) this.log(`Restore: ${snapshot.restore_command}`)
    }
  }
}

/** --output as given (inside it when it is a directory), else the bare name in the current directory. */
async function target(output: string | undefined, name: string): Promise<string> {
  if (output === undefined) {
    const file = resolve(name)
    if (dirname(file) !== process.cwd()) throw new AutobusError(`Refusing to write ${name} outside the current directory.`)
    return name
  }
  const isDirectory = await stat(output).then(found => found.isDirectory(), () => false)
  return isDirectory ? join(output, name) : output
}

/** Whether anything, even a dangling symlink, has that name. */
function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false)
}

/** The finished file under its name: a hard link refuses an existing name atomically; --force replaces it. */
async function place(partial: string, file: string, force: boolean): Promise<void> {
  if (force) return rename(partial, file)
  try {
    await link(partial, file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new AutobusError(`${file} appeared during the download; nothing was overwritten. Add --force to overwrite it.`)
    // A file system without hard links: check, then rename.
    if (await exists(file)) throw new AutobusError(`${file} appeared during the download; nothing was overwritten. Add --force to overwrite it.`)
    return rename(partial, file)
  }
  await rm(partial, {force: true})
}
