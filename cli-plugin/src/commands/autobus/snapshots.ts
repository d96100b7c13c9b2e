import {Flags} from '@oclif/core'
import {AutobusCommand, bytes, releaseLabel, releaseName, table} from '../../lib/autobus.js'

export default class Snapshots extends AutobusCommand {
  static description = 'list the snapshots of the app\'s databases'
  static examples = [
    '$ heroku autobus:snapshots -a sushi',
    '$ heroku autobus:snapshots -a sushi --before-release v143   # newest first: the first is the one from before v143',
  ]

  static flags = {
    json: Flags.boolean({description: 'output in JSON'}),
    release: Flags.string({description: 'only the snapshots taken under this release, e.g. v143 (or 143)'}),
    'before-release': Flags.string({description: 'only the snapshots taken under an earlier release than this one, e.g. v143 (or 143), newest first'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Snapshots)
    const snapshots = await (await this.autobus(flags.app)).snapshots({release: flags.release, beforeRelease: flags['before-release']})
    if (flags.json) {
      this.log(JSON.stringify(snapshots, null, 2))
      return
    }
    if (snapshots.length === 0 && flags.release !== undefined) {
      const before = flags['before-release'] === undefined ? '' : ` and before ${releaseName(flags['before-release'])}`
      this.log(`${flags.app} has no snapshot taken under ${releaseName(flags.release)}${before}.`)
      return
    }
    if (snapshots.length === 0 && flags['before-release'] !== undefined) {
      this.log(`No snapshot of ${flags.app} was taken before ${releaseName(flags['before-release'])}.`)
      return
    }
    if (snapshots.length === 0) {
      this.log(`${flags.app} has no snapshot yet. Take one with: heroku autobus:capture -a ${flags.app}`)
      return
    }
    this.log(table(snapshots.map(s => ({
      ID: s.id,
      Kind: s.kind,
      Created: s.created_at,
      Release: releaseLabel(s.release),
      Status: s.status,
      Size: bytes(s.size),
      Database: s.database,
      Verification: s.verification?.status ?? '',
    })), ['ID', 'Kind', 'Created', 'Release', 'Status', 'Size', 'Database', 'Verification']))
  }
}
