import {ux} from '@oclif/core'
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import nock from 'nock'
import {chmodSync, mkdtempSync, readdirSync, realpathSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {autobus, CONTROL, fakeNetwork, heroku, HOSTILE, KEY, SNAPSHOT} from '../helpers.js'

/** The answer with HOSTILE appended to every string in it, however deep; `keep` lists values left as they are. */
function hostile(value, keep = []) {
  if (typeof value === 'string') return keep.includes(value) ? value : value + HOSTILE
  if (Array.isArray(value)) return value.map(item => hostile(item, keep))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, hostile(item, keep)]))
  return value
}

const SNAPSHOT_IN_FULL = {
  ...SNAPSHOT, description: 'before deploy', verification: {...SNAPSHOT.verification, status: 'failed', detail: 'line one\nline two\r\nthree'},
  server_version: '16.4', sha256: 'ab'.repeat(32), finished_at: '2015-03-20T05:48:03.592Z', error: 'pg_dump: warning',
  download_url: 'https://files.example.com/d?sig=x',
  release: {version: 143, commit: 'abc1234def', description: 'Deploy abc1234', created_at: '2026-11-28T10:00:00Z'},
  statistics: {database_size: 4096, tables: [{name: 'orders', rows: 3, rows_exact: true, rows_change: 1, size: 1024}]},
}
const SETTINGS = {
  backup_hour: 4, backup_minute: 17, time_zone: 'Europe/Berlin', weekly_day: 'Sunday', monthly: true,
  databases: [{database: 'DATABASE_URL', engine: 'postgresql', exclude_tables: ['audit_log', 'sessions'], exclude_table_data: ['events']}],
}

/** Runs the command with escape sequences left in its output, so that the test sees what a terminal would get. */
async function run(args) {
  const result = await runCommand(args, undefined, {stripAnsi: false})
  return {...result, all: [result.stdout, result.stderr, result.error?.message ?? ''].join('\n')}
}

/** Printed with no control character, and with no trace of the sequences' payloads. */
function expectPrintable(output) {
  expect(output).to.not.match(CONTROL)
  expect(output).to.not.contain('pwned').and.to.not.contain('http://evil')
}

describe('heroku autobus:* with escape sequences in every field Autobus answers', () => {
  fakeNetwork()

  it('autobus:snapshots prints a clean table', async () => {
    heroku()
    autobus().get('/api/snapshots').reply(200, [hostile(SNAPSHOT_IN_FULL)])

    const {stdout, all} = await run(['autobus:snapshots', '-a', 'sushi'])

    expect(stdout).to.contain('Daily').and.to.contain('text FAKE')
    expectPrintable(all)
  })

  it('autobus:snapshots --json prints clean JSON', async () => {
    heroku()
    autobus().get('/api/snapshots').reply(200, [hostile(SNAPSHOT_IN_FULL)])

    const {stdout, all} = await run(['autobus:snapshots', '-a', 'sushi', '--json'])

    expect(JSON.parse(stdout)[0].kind).to.equal('Dailytext FAKE')
    expectPrintable(all)
  })

  it('autobus:info prints clean details and table names, the multi-line detail on one line', async () => {
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile(SNAPSHOT_IN_FULL))

    const {stdout, all} = await run(['autobus:info', SNAPSHOT.id, '-a', 'sushi'])

    expect(stdout).to.contain('line one line two three').and.to.contain('orderstext FAKE')
    expectPrintable(all)
  })

  it('autobus:settings prints clean time zone, days and table names', async () => {
    heroku()
    autobus().get('/api/settings').reply(200, hostile(SETTINGS))

    const {stdout, all} = await run(['autobus:settings', '-a', 'sushi'])

    expect(stdout).to.contain('Europe/Berlintext FAKE').and.to.contain('audit_logtext FAKE')
    expectPrintable(all)
  })

  it('autobus:capture prints a clean message, and with --wait clean statuses', async () => {
    heroku()
    autobus().post('/api/snapshots').reply(202, hostile({message: 'Snapshot is in progress', jid: 'j1', snapshot_id: SNAPSHOT.id}))
    const started = await run(['autobus:capture', '-a', 'sushi'])
    expectPrintable(started.all)

    heroku()
    autobus()
      .post('/api/snapshots').reply(202, {message: 'started', jid: 'j1', snapshot_id: SNAPSHOT.id})
      .get('/api/snapshots/check_snapshot?jid=j1').reply(200, hostile({completed: true, snapshot_id: SNAPSHOT.id, status: 'completed'}, ['completed']))
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile(SNAPSHOT_IN_FULL, ['failed']))
    // The spinner writes to the stream it found at its start, past the output runCommand captures.
    let spinner = ''
    const writes = ux.action.stdmockOrigs
    ux.action.stdmockOrigs = {stdout: chunk => (spinner += chunk, true), stderr: chunk => (spinner += chunk, true)}
    try {
      const waited = await run(['autobus:capture', '-a', 'sushi', '--wait', '--interval', '0'])

      expect(waited.error.message).to.contain('did not restore: line one line two three')
      expectPrintable(waited.all)
      expect(spinner + waited.stderr).to.contain('Taking snapshot').and.to.contain('Verifying')
      expectPrintable(spinner)
    } finally {
      ux.action.stdmockOrigs = writes
    }
  })

  it('autobus:capture --wait prints a running snapshot\'s table name clean', async () => {
    heroku()
    autobus()
      .post('/api/snapshots').reply(202, {message: 'started', jid: 'j1', snapshot_id: SNAPSHOT.id})
      .get('/api/snapshots/check_snapshot?jid=j1').reply(200, hostile({completed: false, snapshot_id: SNAPSHOT.id, status: 'running',
        progress: {bytes: 1000, percent: 10, eta_seconds: 9, table: 'public.orders'}}))
      .get('/api/snapshots/check_snapshot?jid=j1').reply(200, {completed: true, snapshot_id: SNAPSHOT.id, status: 'completed'})
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile(SNAPSHOT, ['verified']))

    const {all} = await run(['autobus:capture', '-a', 'sushi', '--wait', '--interval', '0'])

    expect(all).to.contain('10%, 1.0 KB of data, about 9 s left, public.orderstext FAKE')
    expectPrintable(all)
  })

  it('autobus:capture prints a clean reason when the snapshot fails', async () => {
    heroku()
    autobus()
      .post('/api/snapshots').reply(202, {message: 'x', jid: 'j2', snapshot_id: 's2'})
      .get('/api/snapshots/check_snapshot?jid=j2').reply(200, hostile({completed: false, snapshot_id: 's2', status: 'failed', error: 'pg_dump: refused'}, ['failed']))

    const {error, all} = await run(['autobus:capture', '-a', 'sushi', '--wait', '--interval', '0'])

    expect(error.message).to.contain('The snapshot failed: pg_dump: refusedtext FAKE')
    expectPrintable(all)
  })

  it('autobus:download prints clean messages and saves under a safe name', async () => {
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'autobus-hostile-')))
    const home = process.cwd()
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile(SNAPSHOT_IN_FULL))
    nock('https://files.example.com').get(/^\/d/).reply(200, 'PGDMP')
    process.chdir(cwd)
    try {
      const {stdout, all} = await run(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

      expect(readdirSync(cwd)).to.deep.equal(['snapshot.sql.gz'])
      expect(stdout).to.contain('SHA-256 NOT checked')
      expectPrintable(all)
    } finally {
      process.chdir(home)
    }
  })

  it('autobus:delete prints a clean message', async () => {
    heroku()
    autobus().delete(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile({message: 'Snapshot has been deleted'}))

    const {stdout, all} = await run(['autobus:delete', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi'])

    expect(stdout).to.contain('Snapshot has been deleted')
    expectPrintable(all)
  })

  it('autobus:url prints a clean address', async () => {
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile(SNAPSHOT_IN_FULL))

    const {stdout, all} = await run(['autobus:url', SNAPSHOT.id, '-a', 'sushi'])

    expect(stdout).to.contain('https://files.example.com/d?sig=x')
    expectPrintable(all)
  })

  it('autobus:restore prints a clean warning and error', async () => {
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile(SNAPSHOT_IN_FULL))

    const {stderr, all} = await run(['autobus:restore', SNAPSHOT.id, '-a', 'sushi'])

    expect(stderr).to.contain('This overwrites DATABASE_URLtext FAKE of sushi')
    expectPrintable(all)
  })

  it('autobus:restore passes on pg_restore\'s messages, which name the dump\'s tables, clean', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'autobus-tools-'))
    writeFileSync(join(bin, 'pg_restore'), `#!/bin/sh\ncat > /dev/null\nprintf 'pg_restore: error: could not create TABLE "orders\\033]0;pwned\\007\\033[2J"\\r\\n' >&2\nexit 1\n`)
    chmodSync(join(bin, 'pg_restore'), 0o755)
    const path = process.env.PATH
    process.env.PATH = `${bin}:${path}`
    const configVars = {AUTOBUS_URL: `https://addon:${KEY}@autobus.example.com/`, DATABASE_URL: 'postgres://u:p@db.example.com/d'}
    heroku(configVars)
    heroku(configVars)
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, hostile(SNAPSHOT_IN_FULL, ['postgresql']))
    nock('https://files.example.com').get(/^\/d/).reply(200, 'PGDMP')
    try {
      const {stderr, error, all} = await run(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--database', 'DATABASE_URL', '--confirm', 'sushi', '--local'])

      expect(stderr).to.contain('could not create TABLE "orders"')
      expect(error.message).to.contain('pg_restore: failed (exit 1): pg_restore: error: could not create TABLE "orders"')
      expectPrintable(all)
    } finally {
      process.env.PATH = path
    }
  })

  it('autobus:restore prints Autobus\'s progress, table names and where they went clean', async () => {
    heroku()
    autobus()
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, download_url: 'https://files.example.com/d?sig=x'})
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`).reply(202, hostile({restore_id: 'r1', message: 'Restore started'}, ['r1']))
      .get('/api/restores/r1').reply(200, hostile({restore_id: 'r1', snapshot_id: SNAPSHOT.id, target: 'DATABASE_URL', mode: 'alongside',
        status: 'running', progress: {bytes: 1000, percent: 10, eta_seconds: 9, table: 'public.orders'}, tables: [], error: null,
        safety_snapshot_id: null, restored_into: null, created_at: '2015-03-21T10:00:00.000Z', finished_at: null}, ['r1', 'alongside', 'running']))
      .get('/api/restores/r1').reply(200, hostile({restore_id: 'r1', snapshot_id: SNAPSHOT.id, target: 'DATABASE_URL', mode: 'alongside',
        status: 'completed', progress: null, tables: [{name: 'public.orders', rows: 3, expected_rows: 3}], error: null,
        safety_snapshot_id: 's2', restored_into: 'restored_x', created_at: '2015-03-21T10:00:00.000Z', finished_at: null},
      ['r1', 'alongside', 'completed']))

    const {stdout, all} = await run(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--table', 'public.orders', '--interval', '0'])

    expect(all).to.contain('10%, 1.0 KB of the snapshot read, about 9 s left, public.orderstext FAKE')
    expect(stdout).to.contain('Restored into:   restored_xtext FAKE').and.to.contain('public.orderstext FAKE')
    expectPrintable(all)
  })

  it('autobus:restore prints Autobus\'s reason for a failed restore clean', async () => {
    heroku()
    autobus()
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, download_url: 'https://files.example.com/d?sig=x'})
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`).reply(202, {restore_id: 'r1', message: 'Restore started'})
      .get('/api/restores/r1').reply(200, hostile({restore_id: 'r1', snapshot_id: SNAPSHOT.id, target: 'DATABASE_URL', mode: 'whole',
        status: 'failed', progress: null, tables: [], error: 'pg_restore: refused', safety_snapshot_id: 's2', restored_into: null,
        created_at: '2015-03-21T10:00:00.000Z', finished_at: null}, ['failed']))

    const {error, all} = await run(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi', '--interval', '0'])

    expect(error.message).to.contain('The restore failed: pg_restore: refusedtext FAKE')
    expectPrintable(all)
  })

  it('autobus:tables prints clean table names', async () => {
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}/tables`).reply(200, hostile([{name: 'public.orders', rows: 3, rows_exact: false, size: 8192}]))

    const {stdout, all} = await run(['autobus:tables', SNAPSHOT.id, '-a', 'sushi'])

    expect(stdout).to.contain('public.orderstext FAKE').and.to.contain('3 (estimate)')
    expectPrintable(all)
  })

  it('autobus:open neither prints nor opens a dashboard address with control characters in it', async () => {
    nock('https://api.heroku.com').get('/apps/sushi/addons').reply(200, [
      hostile({addon_service: {name: 'autobus'}, web_url: 'https://addons-sso.heroku.com/apps/a/addons/b'}, ['autobus']),
    ])
    process.env.BROWSER = 'false'

    const {stdout, error, all} = await run(['autobus:open', '-a', 'sushi'])

    expect(error.message).to.contain('Heroku gave no usable web address')
    expect(stdout).to.not.contain('Opening')
    expectPrintable(all)
  })

  it('prints clean error messages from the API, JSON or not', async () => {
    heroku()
    autobus().get('/api/snapshots/nope').reply(404, hostile({message: 'No snapshot nope.'}))
    const notFound = await run(['autobus:info', 'nope', '-a', 'sushi'])
    heroku()
    autobus().get('/api/snapshots').reply(502, `<html>Bad gateway${HOSTILE}</html>`)
    const badGateway = await run(['autobus:snapshots', '-a', 'sushi'])

    expect(notFound.error.message).to.equal('No snapshot nope.text FAKE')
    expect(badGateway.error.message).to.contain('Autobus answered 502: <html>Bad gatewaytext FAKE</html>')
    expectPrintable(notFound.all)
    expectPrintable(badGateway.all)
  })
})
