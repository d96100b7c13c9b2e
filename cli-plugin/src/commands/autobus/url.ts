import {Args} from '@oclif/core'
import {AutobusCommand, AutobusError} from '../../lib/autobus.js'

export default class Url extends AutobusCommand {
  static description = 'print a download URL of a snapshot (the newest when no id is given), valid 30 minutes'
  static args = {id: Args.string({description: 'snapshot id'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Url)
    const snapshot = await (await this.autobus(flags.app)).snapshotOrNewest(args.id)
    if (!snapshot.download_url) throw new AutobusError(`Snapshot ${snapshot.id} is ${snapshot.status}: there is no file to download.`)
    if (snapshot.encrypted_to) {
      this.warn(`Snapshot ${snapshot.id} is encrypted with your own key: heroku pg:backups:restore cannot read it. `
        + `Decrypt the file with age -d -i key.txt${snapshot.restore_command ? `; restore: ${snapshot.restore_command}` : ''}`)
    }
    this.log(snapshot.download_url)
  }
}
