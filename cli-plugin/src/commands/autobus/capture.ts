import {Flags, ux} from '@oclif/core'
import {AutobusCommand, AutobusError, bytes, seconds, Snapshot} from '../../lib/autobus.js'
import {follow, runProgress} from '../../lib/run-progress.js'

export default class Capture extends AutobusCommand {
  static description = 'take a snapshot now (like pg:backups:capture); --wait follows it, with a progress bar, until it is verified'
  static examples = ['$ heroku autobus:capture -a sushi --database DATABASE_URL --description "before deploy" --wait']
  static flags = {
    database: Flags.string({description: 'config var of the database, e.g. DATABASE_URL (default: the first one)'}),
    description: Flags.string({description: 'a note kept with the snapshot'}),
    wait: Flags.boolean({description: 'wait until the snapshot is taken and verified'}),
    interval: Flags.integer({description: 'seconds between checks while waiting', default: 2, hidden: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Capture)
    const autobus = await this.autobus(flags.app)
    const started = await autobus.capture(flags.database, flags.description)
    if (!flags.wait) {
      this.log(`${started.message}. Snapshot ${started.snapshot_id} (job ${started.jid}).`)
      this.log(`Follow it with: heroku autobus:info ${started.snapshot_id} -a ${flags.app}`)
      return
    }
    const pause = () => new Promise(resolve => setTimeout(resolve, flags.interval * 1000))
    const progress = runProgress(`Taking snapshot ${started.snapshot_id} of ${flags.app}`, line => this.logToStderr(line))
    const state = await follow(progress, () => autobus.check(started.jid),
      answer => (answer.status === 'failed' ? 'failed' : answer.status === 'completed' ? 'done' : null), pause)
    if (state.status === 'failed') throw new AutobusError(`The snapshot failed: ${state.error ?? 'no reason given'}`)
    ux.action.start('Verifying that it restores')
    let snapshot: Snapshot
    for (;;) {
      snapshot = await autobus.snapshot(started.snapshot_id)
      if (snapshot.verification && snapshot.verification.status !== 'running') break
      ux.action.status = snapshot.verification?.status ?? 'queued'
      await pause()
    }
    ux.action.stop(snapshot.verification?.status)
    this.log(summary(snapshot))
    if (snapshot.verification?.status === 'failed') {
      throw new AutobusError(`Snapshot ${snapshot.id} did not restore: ${snapshot.verification.detail ?? ''}`)
    }
    this.log(snapshot.id)
  }
}

/** e.g. "Snapshot 550bb…: 2.0 KB, taken in 3 min 20 s, verified"; the parts Autobus did not send are left out. */
function summary(snapshot: Snapshot): string {
  const parts = []
  if (typeof snapshot.size === 'number') parts.push(bytes(snapshot.size))
  if (typeof snapshot.duration_ms === 'number') parts.push(`taken in ${seconds(snapshot.duration_ms / 1000)}`)
  if (snapshot.verification) parts.push(snapshot.verification.status)
  return `Snapshot ${snapshot.id}: ${parts.join(', ')}`
}
