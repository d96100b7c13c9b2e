import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import nock from 'nock'
import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {allCalled, autobus, fakeNetwork, frames, heroku, runIn, SNAPSHOT, unwrapped} from '../helpers.js'

describe('heroku autobus:*', () => {
  fakeNetwork()

  it('lists snapshots as a table, calling Autobus with the add-on key and never the Heroku token', async () => {
    heroku()
    autobus().get('/api/snapshots').reply(200, [SNAPSHOT])

    const {stdout, error} = await runCommand(['autobus:snapshots', '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(stdout).to.contain('550bb45669702d21bd430000').and.to.contain('Daily').and.to.contain('2.0 KB').and.to.contain('verified')
    allCalled()
  })

  it('prints JSON with --json', async () => {
    heroku()
    autobus().get('/api/snapshots').reply(200, [SNAPSHOT])

    const {stdout} = await runCommand(['autobus:snapshots', '-a', 'sushi', '--json'])

    expect(JSON.parse(stdout)[0].id).to.equal(SNAPSHOT.id)
  })

  describe('releases', () => {
    const V143 = {version: 143, commit: 'abc1234def5678abc1234def5678abc1234def56', description: 'Deploy abc1234', created_at: '2026-11-28T10:00:00Z'}
    const V142 = {version: 142, commit: null, description: null, created_at: '2026-11-27T10:00:00Z'}
    const OLDER = {...SNAPSHOT, id: '550bb45669702d21bd430001', release: V142}

    it('lists each snapshot\'s release, v143 and its short commit, and nothing for an unknown one', async () => {
      heroku()
      autobus().get('/api/snapshots').reply(200, [{...SNAPSHOT, release: V143}, OLDER, {...SNAPSHOT, id: '550bb45669702d21bd430002', release: null}])

      const {stdout, error} = await runCommand(['autobus:snapshots', '-a', 'sushi'])

      expect(error).to.equal(undefined)
      expect(stdout).to.equal([
        'ID                        Kind   Created                   Release       Status     Size    Database      Verification',
        '────────────────────────  ─────  ────────────────────────  ────────────  ─────────  ──────  ────────────  ────────────',
        '550bb45669702d21bd430000  Daily  2015-03-20T05:47:03.592Z  v143 abc1234  completed  2.0 KB  DATABASE_URL  verified',
        '550bb45669702d21bd430001  Daily  2015-03-20T05:47:03.592Z  v142          completed  2.0 KB  DATABASE_URL  verified',
        '550bb45669702d21bd430002  Daily  2015-03-20T05:47:03.592Z                completed  2.0 KB  DATABASE_URL  verified',
        '',
      ].join('\n'))
      allCalled()
    })

    it('asks Autobus for the snapshots from before a release, or under one, written v143 or 143', async () => {
      heroku()
      autobus().get('/api/snapshots?before_release=143').reply(200, [OLDER])
      const before = await runCommand(['autobus:snapshots', '-a', 'sushi', '--before-release', 'v143'])
      heroku()
      autobus().get('/api/snapshots?release=143').reply(200, [{...SNAPSHOT, release: V143}])
      const under = await runCommand(['autobus:snapshots', '-a', 'sushi', '--release', '143', '--json'])

      expect(before.error).to.equal(undefined)
      expect(before.stdout).to.contain('550bb45669702d21bd430001').and.to.contain('v142')
      expect(under.error).to.equal(undefined)
      expect(JSON.parse(under.stdout)[0].release).to.deep.equal(V143)
      allCalled()
    })

    it('says when no snapshot was taken before the release, or under it', async () => {
      heroku()
      autobus().get('/api/snapshots?before_release=143').reply(200, [])
      const before = await runCommand(['autobus:snapshots', '-a', 'sushi', '--before-release', '143'])
      heroku()
      autobus().get('/api/snapshots?release=7').reply(200, [])
      const under = await runCommand(['autobus:snapshots', '-a', 'sushi', '--release', 'V7'])

      expect(before.stdout).to.equal('No snapshot of sushi was taken before v143.\n')
      expect(under.stdout).to.equal('sushi has no snapshot taken under v7.\n')
      allCalled()
    })

    it('passes on Autobus\'s refusal of a release it cannot read', async () => {
      heroku()
      autobus().get('/api/snapshots?before_release=latest').reply(422, {message: 'before_release \'latest\' is not a number.'})

      const {error} = await runCommand(['autobus:snapshots', '-a', 'sushi', '--before-release', 'latest'])

      expect(error.message).to.equal('Autobus answered 422: before_release \'latest\' is not a number.')
      expect(error.oclif.exit).to.equal(1)
      allCalled()
    })

    it('shows a snapshot\'s release with its commit and description, and none when it is unknown', async () => {
      heroku()
      autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, release: V143})
      const known = await runCommand(['autobus:info', SNAPSHOT.id, '-a', 'sushi'])
      heroku()
      autobus().get(`/api/snapshots/${OLDER.id}`).reply(200, OLDER)
      const bare = await runCommand(['autobus:info', OLDER.id, '-a', 'sushi'])
      heroku()
      autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, release: null})
      const unknown = await runCommand(['autobus:info', SNAPSHOT.id, '-a', 'sushi'])

      expect(known.error).to.equal(undefined)
      expect(known.stdout).to.contain(`Release:        v143, commit ${V143.commit} (Deploy abc1234)\n`)
      expect(bare.stdout).to.contain('Release:        v142\n')
      expect(unknown.stdout).to.not.contain('Release:')
      allCalled()
    })
  })

  describe('tables', () => {
    const TABLES = [
      {name: 'public.orders', rows: 321, rows_exact: true, size: 57344},
      {name: 'public.events', rows: 1200000, rows_exact: false, size: 2400000000},
      {name: 'audit.log', rows: 0, rows_exact: true, size: 8192},
    ]

    it('lists the newest snapshot\'s tables with their rows, whether counted or estimated, and their size', async () => {
      heroku()
      autobus()
        .get('/api/snapshots?status=completed&limit=1').reply(200, [SNAPSHOT])
        .get(`/api/snapshots/${SNAPSHOT.id}/tables`).reply(200, TABLES)

      const {stdout, error} = await runCommand(['autobus:tables', '-a', 'sushi'])

      expect(error).to.equal(undefined)
      expect(stdout).to.equal([
        `Snapshot ${SNAPSHOT.id}: 3 tables`,
        '',
        'Table          Rows                Size',
        '─────────────  ──────────────────  ───────',
        'public.orders  321                 57.3 KB',
        'public.events  1200000 (estimate)  2.4 GB',
        'audit.log      0                   8.2 KB',
        '',
      ].join('\n'))
      allCalled()
    })

    it('lists a given snapshot\'s tables in JSON with --json', async () => {
      heroku()
      autobus().get(`/api/snapshots/${SNAPSHOT.id}/tables`).reply(200, TABLES)

      const {stdout, error} = await runCommand(['autobus:tables', SNAPSHOT.id, '-a', 'sushi', '--json'])

      expect(error).to.equal(undefined)
      expect(JSON.parse(stdout)).to.deep.equal(TABLES)
      allCalled()
    })

    it('says so when the snapshot holds no table, and passes on Autobus\'s word for an unknown one', async () => {
      heroku()
      autobus().get(`/api/snapshots/${SNAPSHOT.id}/tables`).reply(200, [])
      const empty = await runCommand(['autobus:tables', SNAPSHOT.id, '-a', 'sushi'])
      heroku()
      autobus().get('/api/snapshots/nope/tables').reply(404, {message: 'No snapshot nope.'})
      const unknown = await runCommand(['autobus:tables', 'nope', '-a', 'sushi'])

      expect(empty.stdout).to.equal(`Snapshot ${SNAPSHOT.id} holds no table.\n`)
      expect(unknown.error.message).to.equal('No snapshot nope.')
    })
  })

  it('captures and, with --wait, follows the snapshot until it is verified', async () => {
    heroku()
    autobus()
      .post('/api/snapshots', {database: 'DATABASE_URL', description: 'predeploy'})
      .reply(202, {message: 'Snapshot is in progress, it may take awhile', jid: 'j1', snapshot_id: SNAPSHOT.id})
      .get('/api/snapshots/check_snapshot?jid=j1').reply(200, {completed: false, snapshot_id: SNAPSHOT.id, status: 'running'})
      .get('/api/snapshots/check_snapshot?jid=j1').reply(200, {completed: true, snapshot_id: SNAPSHOT.id, status: 'completed'})
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, verification: {...SNAPSHOT.verification, status: 'running'}})
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, SNAPSHOT)

    const {stdout, error} = await runCommand(['autobus:capture', '-a', 'sushi', '--database', 'DATABASE_URL',
      '--description', 'predeploy', '--wait', '--interval', '0'])

    expect(error).to.equal(undefined)
    expect(stdout.trim().split('\n').at(-1)).to.equal(SNAPSHOT.id)
    allCalled()
  })

  describe('capture --wait while the snapshot runs', () => {
    const RUNNING_10 = {completed: false, snapshot_id: SNAPSHOT.id, status: 'running',
      progress: {bytes: 100000, percent: 10, eta_seconds: 270, table: 'public.orders'}}
    const RUNNING_60 = {completed: false, snapshot_id: SNAPSHOT.id, status: 'running',
      progress: {bytes: 600000, percent: 60, eta_seconds: 40, table: 'public.events'}}

    /** Autobus answering: 10%, 60%, completed; then the snapshot, taken in 3 min 20 s and verified. */
    function runningThenCompleted() {
      heroku()
      autobus()
        .post('/api/snapshots').reply(202, {message: 'started', jid: 'j3', snapshot_id: SNAPSHOT.id})
        .get('/api/snapshots/check_snapshot?jid=j3').reply(200, RUNNING_10)
        .get('/api/snapshots/check_snapshot?jid=j3').reply(200, RUNNING_60)
        .get('/api/snapshots/check_snapshot?jid=j3').reply(200, {completed: true, snapshot_id: SNAPSHOT.id, status: 'completed', progress: null})
        .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, size: 2048, duration_ms: 200000})
    }

    it('prints a plain line each time it moved when the output is not a terminal, then the size and time taken', async () => {
      runningThenCompleted()

      const {stdout, stderr, error} = await runIn(false, ['autobus:capture', '-a', 'sushi', '--wait', '--interval', '0'])

      expect(error).to.equal(undefined)
      expect(stderr).to.contain([
        `Taking snapshot ${SNAPSHOT.id} of sushi...`,
        `Taking snapshot ${SNAPSHOT.id} of sushi: running, 10%, 100.0 KB of data, about 4 min 30 s left, public.orders`,
        `Taking snapshot ${SNAPSHOT.id} of sushi: running, 60%, 600.0 KB of data, about 40 s left, public.events`,
        `Taking snapshot ${SNAPSHOT.id} of sushi: done`,
      ].join('\n'))
      expect(stdout).to.equal(`Snapshot ${SNAPSHOT.id}: 2.0 KB, taken in 3 min 20 s, verified\n${SNAPSHOT.id}\n`)
      allCalled()
    })

    it('draws a bar with the percent, the time to go and the table on a terminal', async () => {
      runningThenCompleted()

      const {stdout, stderr, error} = await runIn(true, ['autobus:capture', '-a', 'sushi', '--wait', '--interval', '0'], {stripAnsi: false})

      expect(error).to.equal(undefined)
      expect(stderr).to.contain(`Taking snapshot ${SNAPSHOT.id} of sushi\n`)
      expect(frames(stderr)).to.deep.equal([
        `${'-'.repeat(20)}   … | pending`,
        `${'='.repeat(2)}${'-'.repeat(18)} 10% | 100.0 KB of data, about 4 min 30 s left, public.orders`,
        `${'='.repeat(12)}${'-'.repeat(8)} 60% | 600.0 KB of data, about 40 s left, public.events`,
        `${'='.repeat(20)} 100% | done`,
      ])
      expect(stdout).to.equal(`Snapshot ${SNAPSHOT.id}: 2.0 KB, taken in 3 min 20 s, verified\n${SNAPSHOT.id}\n`)
    })

    it('says so while the expected size is not known, and promises no time', async () => {
      heroku()
      autobus()
        .post('/api/snapshots').reply(202, {message: 'started', jid: 'j4', snapshot_id: SNAPSHOT.id})
        .get('/api/snapshots/check_snapshot?jid=j4').reply(200, {completed: false, snapshot_id: SNAPSHOT.id, status: 'pending', progress: null})
        .get('/api/snapshots/check_snapshot?jid=j4').reply(200, {...RUNNING_10, progress: {bytes: 4096, percent: null, eta_seconds: null, table: null}})
        .get('/api/snapshots/check_snapshot?jid=j4').reply(200, {completed: true, snapshot_id: SNAPSHOT.id, status: 'completed', progress: null})
        .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, duration_ms: 1200})

      const {stdout, stderr} = await runIn(false, ['autobus:capture', '-a', 'sushi', '--wait', '--interval', '0'])

      expect(stderr).to.contain(`of sushi: pending\n`).and.to.contain(`of sushi: running, 4.1 KB of data\n`)
      expect(stdout).to.contain(`Snapshot ${SNAPSHOT.id}: 2.0 KB, taken in 1.2 s, verified`)
    })
  })

  it('says what failed when a capture fails', async () => {
    heroku()
    autobus()
      .post('/api/snapshots').reply(202, {message: 'x', jid: 'j2', snapshot_id: 's2'})
      .get('/api/snapshots/check_snapshot?jid=j2').reply(200, {completed: true, snapshot_id: 's2', status: 'failed', error: 'pg_dump: connection refused'})

    const {error} = await runCommand(['autobus:capture', '-a', 'sushi', '--wait', '--interval', '0'])

    expect(error.message).to.contain('The snapshot failed: pg_dump: connection refused')
  })

  it('downloads the newest snapshot and checks its SHA-256', async () => {
    const content = Buffer.from('PGDMP pretend dump')
    const sha256 = createHash('sha256').update(content).digest('hex')
    heroku()
    autobus()
      .get('/api/snapshots?status=completed&limit=1').reply(200, [SNAPSHOT])
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, sha256, download_url: 'https://files.example.com/d.dump?sig=x'})
    nock('https://files.example.com').get('/d.dump?sig=x').reply(200, content, {'Content-Length': String(content.length)})
    const file = join(mkdtempSync(join(tmpdir(), 'autobus-')), 'out.dump')

    const {stdout, error} = await runCommand(['autobus:download', '-a', 'sushi', '-o', file])

    expect(error).to.equal(undefined)
    expect(stdout).to.contain('SHA-256 verified')
    expect(readFileSync(file).equals(content)).to.equal(true)
    allCalled()
  })

  it('refuses a download whose checksum differs', async () => {
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, sha256: '00'.repeat(32), download_url: 'https://files.example.com/d.dump'})
    nock('https://files.example.com').get('/d.dump').reply(200, 'tampered')
    const file = join(mkdtempSync(join(tmpdir(), 'autobus-')), 'out.dump')

    const {error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi', '-o', file])

    expect(error.message).to.contain('does not match the snapshot')
  })

  it('explains an app without the add-on', async () => {
    heroku({DATABASE_URL: 'postgres://x'})

    const {error} = await runCommand(['autobus:snapshots', '-a', 'sushi'])

    expect(error.message).to.contain('sushi has no Autobus add-on').and.to.contain('heroku addons:create autobus -a sushi')
  })

  it('explains an unreachable Autobus', async () => {
    heroku({AUTOBUS_URL: 'http://addon:k@127.0.0.1:9/'})
    nock.enableNetConnect('127.0.0.1')

    const {error} = await runCommand(['autobus:snapshots', '-a', 'sushi'])

    expect(error.message).to.contain('Autobus could not be reached at http://127.0.0.1:9')
  })

  it('explains a snapshot that does not exist', async () => {
    heroku()
    autobus().get('/api/snapshots/nope').reply(404, {message: 'No snapshot nope.'})

    const {error} = await runCommand(['autobus:info', 'nope', '-a', 'sushi'])

    expect(error.message).to.equal('No snapshot nope.')
  })

  it('shows which tool made a snapshot, which client restores it, what it left out and where it was verified', async () => {
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, dump_tool: 'pg_dump 15.14',
      restore_with: 'pg_restore 15 or newer', partial: null})

    const {stdout, error} = await runCommand(['autobus:info', SNAPSHOT.id, '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(stdout).to.contain('Dumped with:    pg_dump 15.14').and.to.contain('Restore with:   pg_restore 15 or newer')
      .and.to.contain('Verified on:    server 15.15').and.not.to.contain('Partial:')
    allCalled()
  })

  it('says a snapshot is encrypted with the customer\'s key, with the age step, in info and url', async () => {
    const encrypted = {...SNAPSHOT, file_name: `DATABASE_${SNAPSHOT.id}.dump.age`, encrypted_to: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
      restore_command: `age -d -i key.txt DATABASE_${SNAPSHOT.id}.dump.age | pg_restore --verbose --clean --if-exists --no-acl --no-owner -h host -U myuser -d mydb`,
      download_url: 'https://files.example.com/d?sig=x'}
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, encrypted)
    const info = await runCommand(['autobus:info', SNAPSHOT.id, '-a', 'sushi'])
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, encrypted)
    const url = await runCommand(['autobus:url', SNAPSHOT.id, '-a', 'sushi'])

    expect(info.error).to.equal(undefined)
    expect(info.stdout).to.contain(`Encrypted to:   ${encrypted.encrypted_to} (your own key`)
      .and.to.contain(`Restore:        ${encrypted.restore_command}`)
    expect(url.stdout).to.contain('https://files.example.com/d?sig=x')
    expect(unwrapped(url.stderr)).to.contain('heroku pg:backups:restore cannot read it')
    allCalled()
  })

  it('deletes only with --confirm naming the app', async () => {
    const refused = await runCommand(['autobus:delete', SNAPSHOT.id, '-a', 'sushi'])
    expect(refused.error.message).to.contain('--confirm sushi')

    heroku()
    autobus().delete(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {message: 'Snapshot has been deleted'})
    const {stdout} = await runCommand(['autobus:delete', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi'])
    expect(stdout).to.contain('Snapshot has been deleted')
    allCalled()
  })

  it('shows and changes settings', async () => {
    heroku()
    autobus().patch('/api/settings', {backup_hour: 4, monthly: true}).reply(200, {
      backup_hour: 4, backup_minute: 17, time_zone: 'UTC', weekly_day: 'Sunday', monthly: true,
      databases: [{database: 'DATABASE_URL', engine: 'postgresql', exclude_tables: ['audit_log'], exclude_table_data: []}],
    })

    const {stdout, error} = await runCommand(['autobus:settings', '-a', 'sushi', '--hour', '4', '--monthly'])

    expect(error).to.equal(undefined)
    expect(stdout).to.contain('4:17 UTC').and.to.contain('Monthly:        on').and.to.contain('DATABASE_URL: excluded tables audit_log')
  })

  it('sets the encryption key, warns to keep the private key, and passes on a refusal of a malformed one', async () => {
    const settings = {backup_hour: 3, backup_minute: 17, time_zone: 'UTC', weekly_day: 'Sunday', monthly: false, databases: []}
    const key = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'
    heroku()
    autobus().get('/api/settings').reply(200, settings)
      .put('/api/settings/encryption', {recipient: key}).reply(200, {...settings, encryption_recipient: key})
    const set = await runCommand(['autobus:settings', '-a', 'sushi', '--encryption-key', key])
    heroku()
    autobus().get('/api/settings').reply(200, settings)
      .put('/api/settings/encryption', {recipient: null}).reply(200, {...settings, encryption_recipient: null})
    const off = await runCommand(['autobus:settings', '-a', 'sushi', '--encryption-key', 'none'])
    heroku()
    autobus().get('/api/settings').reply(200, settings)
      .put('/api/settings/encryption', {recipient: 'age1nope'}).reply(422, {message: 'An age public key starts with "age1" and is 62 characters long'})
    const bad = await runCommand(['autobus:settings', '-a', 'sushi', '--encryption-key', 'age1nope'])

    expect(set.error).to.equal(undefined)
    expect(set.stdout).to.contain(`Encryption:     to your own key ${key}`)
    expect(unwrapped(set.stderr)).to.contain('Keep your private key safe')
    expect(off.stdout).to.contain('Encryption:     storage encryption only')
    expect(bad.error.message).to.contain('Autobus answered 422: An age public key starts with "age1"')
    allCalled()
  })

  it('finds the dashboard link of the add-on for autobus:open', async () => {
    nock('https://api.heroku.com').get('/apps/sushi/addons').reply(200, [
      {addon_service: {name: 'heroku-postgresql'}, web_url: 'https://example.com/pg'},
      {addon_service: {name: 'autobus'}, web_url: 'https://addons-sso.heroku.com/apps/a/addons/b'},
    ])
    process.env.BROWSER = 'true'

    const {stdout} = await runCommand(['autobus:open', '-a', 'sushi'])

    expect(stdout).to.contain('https://addons-sso.heroku.com/apps/a/addons/b')
  })
})
