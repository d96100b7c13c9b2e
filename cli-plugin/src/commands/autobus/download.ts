import {Args, Flags} from '@oclif/core'
import {SingleBar} from 'cli-progress'
import {createHash} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {rm} from 'node:fs/promises'
import {Readable, Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {AutobusCommand, AutobusError} from '../../lib/autobus.js'

export default class Download extends AutobusCommand {
  static description = 'download a snapshot (the newest when no id is given) and check its SHA-256'
  static args = {id: Args.string({description: 'snapshot id'})}
  static flags = {output: Flags.string({char: 'o', description: 'file to write (default: the snapshot\'s own file name)'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Download)
    const snapshot = await (await this.autobus(flags.app)).snapshotOrNewest(args.id)
    if (!snapshot.download_url) throw new AutobusError(`Snapshot ${snapshot.id} is ${snapshot.status}: there is no file to download.`)
    const file = flags.output ?? snapshot.file_name ?? `${snapshot.id}.dump`
    const response = await fetch(snapshot.download_url)
    if (!response.ok || !response.body) throw new AutobusError(`The download was refused (HTTP ${response.status}). Try again.`)
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
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), measure, createWriteStream(file))
    } finally {
      bar.stop()
    }
    const sha256 = hash.digest('hex')
    if (snapshot.sha256 && sha256 !== snapshot.sha256) {
      await rm(file, {force: true})
      throw new AutobusError(`The downloaded file does not match the snapshot (SHA-256 ${sha256}, expected ${snapshot.sha256}); it was removed. Try again.`)
    }
    this.log(`Downloaded ${snapshot.id} to ${file} (${received} bytes, SHA-256 verified).`)
  }
}
