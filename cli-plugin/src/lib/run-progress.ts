import {SingleBar} from 'cli-progress'
import {bytes, Progress, seconds} from './autobus.js'
import {printable} from './printable.js'

/** Long table names are cut, so that the bar's line fits a terminal's 80 columns more often than not. */
const TABLE_CHARS = 32

/** Shows a run Autobus does (a capture, a restore) while it runs. */
export interface RunProgress {
  /** What Autobus answered last about the run. */
  update(status: string, progress: Progress | null | undefined): void
  /** The run completed (done), or following it ended otherwise (it failed, Autobus could not be reached). */
  stop(done: boolean): void
}

/**
 * A progress bar on stderr when the user watches a terminal; plain lines, one each time what
 * they say changes, when the output goes to a file, a pipe or a CI log, where a bar redrawn in
 * place would only leave debris.
 */
export function runProgress(title: string, writeLine: (line: string) => void, passed = 'of data'): RunProgress {
  return process.stdout.isTTY && process.stderr.isTTY ? new Bar(title, writeLine, passed) : new Lines(title, writeLine, passed)
}

/** How a run stands in an answer: ended well (done), ended badly (failed), or still going (null). */
export type Ended<T> = (answer: T) => 'done' | 'failed' | null

/**
 * Asks Autobus how the run stands (`check`), `pause` after each answer, until `ended` says it
 * ended; `progress` shows every answer before that. Returns the last answer, for the caller to
 * tell how it ended. The bar is stopped however following ends: a bar left running would keep
 * its timer, and the cursor hidden.
 */
export async function follow<T extends {status: string; progress?: Progress | null}>(
  progress: RunProgress, check: () => Promise<T>, ended: Ended<T>, pause: () => Promise<unknown>): Promise<T> {
  let done = false
  try {
    for (;;) {
      const answer = await check()
      const end = ended(answer)
      if (end) {
        done = end === 'done'
        return answer
      }
      progress.update(answer.status, answer.progress)
      await pause()
    }
  } finally {
    progress.stop(done)
  }
}

/**
 * e.g. "400.0 KB of data, about 1 min 30 s left, public.orders"; every part but the bytes only when known. `passed` says
 * what the bytes are: a capture's are the database's data, a restore's the stored snapshot's.
 */
export function progressText(progress: Progress, passed = 'of data'): string {
  const parts = [`${bytes(progress.bytes)} ${passed}`]
  if (typeof progress.eta_seconds === 'number') parts.push(`about ${seconds(progress.eta_seconds)} left`)
  if (progress.table) parts.push(short(printable(progress.table)))
  return parts.join(', ')
}

function short(text: string): string {
  return text.length <= TABLE_CHARS ? text : text.slice(0, TABLE_CHARS - 1) + '…'
}

function percent(progress: Progress | null | undefined): number | null {
  return typeof progress?.percent === 'number' ? Math.max(0, Math.min(99, Math.floor(progress.percent))) : null
}

class Bar implements RunProgress {
  private readonly bar: SingleBar

  constructor(title: string, writeLine: (line: string) => void, private readonly passed: string) {
    writeLine(printable(title)) // on a line of its own: the bar's line keeps its columns for the percent and the time to go
    // The terminal's line wrapping is off while the bar is drawn (cli-progress's default): a line too long is cut, not wrapped.
    this.bar = new SingleBar({format: '{bar} {shown} | {detail}', stream: process.stderr, hideCursor: true, barsize: 20})
    this.bar.start(100, 0, {shown: '  …', detail: 'pending'})
  }

  update(status: string, progress: Progress | null | undefined): void {
    const shown = percent(progress)
    this.bar.update(shown ?? 0, {
      shown: shown === null ? '  ?' : `${String(shown).padStart(2)}%`,
      detail: progress ? progressText(progress, this.passed) : printable(status),
    })
    this.bar.render() // each answer at once: checks are seconds apart, far beyond the bar's own throttle
  }

  stop(done: boolean): void {
    if (done) this.bar.update(100, {shown: '100%', detail: 'done'})
    this.bar.stop()
  }
}

class Lines implements RunProgress {
  private last = ''

  constructor(private readonly title: string, private readonly writeLine: (line: string) => void, private readonly passed: string) {
    this.print(`${title}...`)
  }

  update(status: string, progress: Progress | null | undefined): void {
    const shown = percent(progress)
    const parts = [printable(status)]
    if (shown !== null) parts.push(`${shown}%`)
    if (progress) parts.push(progressText(progress, this.passed))
    this.print(`${this.title}: ${parts.join(', ')}`)
  }

  stop(done: boolean): void {
    this.print(`${this.title}: ${done ? 'done' : 'stopped'}`)
  }

  private print(line: string): void {
    if (line === this.last) return
    this.last = line
    this.writeLine(printable(line))
  }
}
