import {Args, Flags} from '@oclif/core'
import {AutobusCommand, AutobusError} from '../../lib/autobus.js'

export default class Delete extends AutobusCommand {
  static description = 'delete a snapshot and its file'
  static args = {id: Args.string({description: 'snapshot id', required: true})}
  static flags = {confirm: Flags.string({description: 'the app\'s name, to confirm'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Delete)
    if (flags.confirm !== flags.app) {
      throw new AutobusError(`This deletes snapshot ${args.id} of ${flags.app} for good. To proceed, add: --confirm ${flags.app}`)
    }
    const answer = await (await this.autobus(flags.app)).remove(args.id)
    this.log(answer.message)
  }
}
